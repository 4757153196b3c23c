using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// Turns YamlDotNet's parse failures into a line:column and a sentence. Besides <see cref="YamlException"/>,
/// YamlDotNet 18 fails with <see cref="InvalidOperationException"/> when the text ends inside a flow collection or
/// quote, and with <see cref="ArgumentException"/> ("the current event is of an unsupported type") on some
/// malformed block structures; and it reports a tab used as indentation at the enclosing mapping (1:1), not at the tab.
/// </summary>
internal static class YamlSyntax
{
    public static bool IsParseFailure(Exception e) => e is YamlException or InvalidOperationException or ArgumentException;

    /// <summary>"line:column" (1-based) of the failure.</summary>
    public static string Locate(string yaml, IParser parser, Exception e)
    {
        if (e is YamlException y && y.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && IndentingTab(yaml) is { } tab)
            return $"{tab.Line}:{tab.Column}";
        if (EndsInsideFlow(yaml, e) is { } open) return $"{open.Line}:{open.Column}";
        if (e is YamlException located) return $"{located.Start.Line}:{located.Start.Column}";
        if (parser.Current is { } current) return $"{current.Start.Line}:{current.Start.Column}";
        return End(yaml);
    }

    public static string Describe(string yaml, Exception e)
    {
        if (EndsInsideFlow(yaml, e) is { } open)
            return $"the [ or {{ opened at {open.Line}:{open.Column} is never closed (the file ends inside it).";
        if (e is YamlException y)
        {
            if (y.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
                return $"{y.Message} YAML indents with spaces only; replace the tab.";
            return y.Message;
        }
        return "the structure is not understood here; check the indentation, and quote values that contain ':', '#', '[', ']', '{', '}' or ','.";
    }

    /// <summary>
    /// The flow collection left open when the failure is at the end of the text (YamlDotNet then points at the end,
    /// or nowhere); null when the failure is elsewhere.
    /// </summary>
    private static Mark? EndsInsideFlow(string yaml, Exception e)
    {
        if (e is YamlException y && y.Start.Index < yaml.TrimEnd().Length) return null;
        return UnclosedFlow(yaml);
    }

    /// <summary>The first line whose indentation contains a tab.</summary>
    private static (int Line, int Column)? IndentingTab(string yaml)
    {
        string[] lines = yaml.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int j = 0;
            while (j < line.Length && line[j] is ' ' or '\t')
            {
                if (line[j] == '\t') return (i + 1, j + 1);
                j++;
            }
        }
        return null;
    }

    /// <summary>The innermost flow collection still open where the scanner stopped (it fails at the end of the text).</summary>
    private static Mark? UnclosedFlow(string yaml)
    {
        var open = new Stack<Mark>();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            while (scanner.MoveNext())
            {
                switch (scanner.Current)
                {
                    // After some malformed block structures YamlDotNet's scanner yields Error tokens forever (" : t\ns\ns:"
                    // never ends): the first one is where the text stops making sense.
                    case Error:
                        return open.Count > 0 ? open.Peek() : null;
                    case FlowSequenceStart or FlowMappingStart:
                        open.Push(scanner.Current.Start);
                        break;
                    case FlowSequenceEnd or FlowMappingEnd when open.Count > 0:
                        open.Pop();
                        break;
                }
            }
        }
        catch (Exception e) when (IsParseFailure(e))
        {
            // Scanning stops where the text stops making sense; what is open there is the answer.
        }
        return open.Count > 0 ? open.Peek() : null;
    }

    private static string End(string yaml)
    {
        int line = 1 + yaml.Count(c => c == '\n');
        int column = yaml.Length - (yaml.LastIndexOf('\n') + 1) + 1;
        return $"{line}:{column}";
    }
}
