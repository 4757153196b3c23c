namespace Forecast.Chronos.Checkpoints;

/// <summary>A hub file could not be fetched; <see cref="Problem"/> says why. Messages never contain the token.</summary>
public sealed class HubDownloadException : CheckpointException
{
    public HubDownloadException(string url, HubProblem problem, string message, int? statusCode = null, Exception? inner = null)
        : base(url, message, inner)
    {
        Problem = problem;
        StatusCode = statusCode;
    }

    public HubProblem Problem { get; }

    public int? StatusCode { get; }
}
