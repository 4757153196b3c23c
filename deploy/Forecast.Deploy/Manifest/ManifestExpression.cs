using System.Text;

namespace Forecast.Deploy.Manifest;

/// <summary>
/// A manifest string split into literal text and placeholders: "http://{api.bindings.http.host}:{api.bindings.http.port}"
/// is [literal "http://", placeholder api.bindings.http.host, literal ":", placeholder api.bindings.http.port].
/// "{{" and "}}" are literal braces, as in Aspire's format strings.
/// </summary>
public sealed record ManifestExpression(IReadOnlyList<ManifestExpression.Part> Parts)
{
    /// <summary>Literal text (Reference null) or a placeholder: Resource and the dotted path after it.</summary>
    public sealed record Part(string? Literal, string? Resource, string? Path);

    public bool HasPlaceholders => Parts.Any(p => p.Resource is not null);

    public IEnumerable<string> ReferencedResources => Parts.Where(p => p.Resource is not null).Select(p => p.Resource!);

    public static ManifestExpression Parse(string text, string where)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{') { literal.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}') { literal.Append('}'); i++; continue; }
            if (c != '{') { literal.Append(c); continue; }
            int end = text.IndexOf('}', i + 1);
            if (end < 0) throw new DeployException($"{where}: '{text}' opens a placeholder at position {i} that is never closed; write '{{{{' for a literal brace.");
            string reference = text[(i + 1)..end];
            int dot = reference.IndexOf('.');
            if (dot <= 0 || dot == reference.Length - 1)
                throw new DeployException($"{where}: placeholder '{{{reference}}}' is not of the form {{resource.property}}.");
            if (literal.Length > 0) { parts.Add(new Part(literal.ToString(), null, null)); literal.Clear(); }
            parts.Add(new Part(null, reference[..dot], reference[(dot + 1)..]));
            i = end;
        }
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null, null));
        return new ManifestExpression(parts);
    }
}
