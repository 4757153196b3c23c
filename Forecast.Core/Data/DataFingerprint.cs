namespace Forecast.Core.Data;

/// <summary>What identifies the data a run used: the SHA-256 of the file bytes (lower-case hex) and its row and series counts.</summary>
public sealed record DataFingerprint(string Sha256, long Rows, int Series);
