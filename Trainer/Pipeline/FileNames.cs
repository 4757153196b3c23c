namespace Forecast.Trainer.Pipeline;

/// <summary>File names from series ids: unsafe characters become '_', and clashes get a numeric suffix.</summary>
internal static class FileNames
{
    public static string For(string id, HashSet<string> used)
    {
        var chars = id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        string name = new string(chars).Trim('.');
        if (name.Length == 0) name = "series";
        if (name.Length > 100) name = name[..100];
        string candidate = name;
        for (int n = 2; !used.Add(candidate); n++) candidate = $"{name}_{n}";
        return candidate;
    }
}
