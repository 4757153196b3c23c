namespace Forecast.Prophet;

/// <summary>
/// A prophet model JSON (prophet's <c>model_to_json</c> format) cannot be loaded: the message names the attribute at
/// fault as a path such as <c>params.delta[0][3]</c> or <c>history.data[12].ds</c>. A <see cref="FormatException"/>,
/// so callers that caught format errors keep working.
/// </summary>
public sealed class ProphetModelJsonException : FormatException
{
    public ProphetModelJsonException(string message, string? path = null, Exception? inner = null)
        : base(path is null ? $"The prophet model JSON cannot be loaded: {message}" : $"The prophet model JSON cannot be loaded: '{path}' {message}", inner) =>
        Path = path;

    /// <summary>The JSON path of the attribute at fault, when one is.</summary>
    public string? Path { get; }
}
