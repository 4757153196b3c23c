namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Where and how to reach the Hugging Face Hub, read from the same environment variables as huggingface_hub
/// (huggingface_hub/constants.py): HF_ENDPOINT, HF_TOKEN (else the legacy HUGGING_FACE_HUB_TOKEN, else the token
/// file $HF_HOME/token), HF_HUB_CACHE (else $HF_HOME/hub, HF_HOME defaulting to $XDG_CACHE_HOME/huggingface or
/// ~/.cache/huggingface), HF_HUB_OFFLINE. The token is sent as "Authorization: Bearer" and never logged or put
/// in a message.
/// </summary>
public sealed record HuggingFaceHubOptions
{
    public const string DefaultEndpoint = "https://huggingface.co";

    public Uri Endpoint { get; init; } = new(DefaultEndpoint);

    public string? Token { get; init; }

    public required string CacheDirectory { get; init; }

    /// <summary>Only the cache is used; a file not in it is an error instead of a download.</summary>
    public bool Offline { get; init; }

    /// <summary>How many times a download that broke off is resumed (Range request) before giving up.</summary>
    public int MaxResumeAttempts { get; init; } = 5;

    /// <summary>Told about each file download as it goes (at most every 4 MiB, and at the end); null for none.</summary>
    public IProgress<HubDownloadProgress>? Progress { get; init; }

    public static HuggingFaceHubOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads the options through <paramref name="variable"/> (a test passes its own environment).</summary>
    public static HuggingFaceHubOptions FromEnvironment(Func<string, string?> variable)
    {
        string? Get(string name) => variable(name) is { Length: > 0 } value ? value : null;
        var home = Get("HF_HOME") ?? Path.Combine(
            Get("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "huggingface");
        var token = Get("HF_TOKEN") ?? Get("HUGGING_FACE_HUB_TOKEN") ?? ReadTokenFile(Get("HF_TOKEN_PATH") ?? Path.Combine(home, "token"));
        var endpoint = Get("HF_ENDPOINT") ?? DefaultEndpoint;
        if (!Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out var endpointUri) || endpointUri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"HF_ENDPOINT '{endpoint}' is not an http(s) URL such as {DefaultEndpoint}.");
        return new HuggingFaceHubOptions
        {
            Endpoint = endpointUri,
            Token = token,
            CacheDirectory = Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(home, "hub"),
            Offline = IsTrue(Get("HF_HUB_OFFLINE")) || IsTrue(Get("TRANSFORMERS_OFFLINE")),
        };
    }

    /// <summary>huggingface_hub constants._is_true: "1", "ON", "YES", "TRUE" in any case.</summary>
    private static bool IsTrue(string? value) =>
        value is not null && value.ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static string? ReadTokenFile(string path) =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;

    /// <summary>Hides the token when the options are printed.</summary>
    public override string ToString() =>
        $"HuggingFaceHubOptions {{ Endpoint = {Endpoint}, Token = {(Token is null ? "none" : "***")}, CacheDirectory = {CacheDirectory}, Offline = {Offline} }}";
}
