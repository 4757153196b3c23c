namespace Forecast.Core.Artifacts;

/// <summary>data_fingerprint.yaml read back: the input the run loaded (its path, SHA-256 of its bytes, rows and series).</summary>
public sealed class RunDataFingerprint
{
    public const string FileName = "data_fingerprint.yaml";

    public string Path { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long Rows { get; set; }
    public int Series { get; set; }
}
