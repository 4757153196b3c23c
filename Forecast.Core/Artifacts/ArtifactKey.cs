namespace Forecast.Core.Artifacts;

/// <summary>Rules for artifact keys, shared by every store so a key valid locally is valid on S3 and back.</summary>
public static class ArtifactKey
{
    /// <summary>Throws unless <paramref name="key"/> is a relative '/'-separated path without empty, "." or ".." segments.</summary>
    public static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("An artifact key must not be empty.", nameof(key));
        if (key.Contains('\\')) throw new ArgumentException($"Artifact key '{key}' contains '\\'; use '/' as the separator.", nameof(key));
        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
                throw new ArgumentException($"Artifact key '{key}' has an empty, '.' or '..' segment; keys are relative paths such as runs/<id>/metrics.yaml.", nameof(key));
        }
    }

    public static string Combine(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix.TrimEnd('/')}/{name}";
}
