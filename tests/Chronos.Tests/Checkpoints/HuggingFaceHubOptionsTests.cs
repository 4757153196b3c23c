using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.Tests.Checkpoints;

public class HuggingFaceHubOptionsTests
{
    private static HuggingFaceHubOptions From(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return HuggingFaceHubOptions.FromEnvironment(name => environment.GetValueOrDefault(name));
    }

    [Fact]
    public void Defaults_are_the_public_hub_and_the_user_cache()
    {
        var options = From(("XDG_CACHE_HOME", "/x"));

        options.Endpoint.Should().Be(new Uri("https://huggingface.co"));
        options.CacheDirectory.Should().Be("/x/huggingface/hub");
        options.Offline.Should().BeFalse();
    }

    [Fact]
    public void Environment_variables_are_honoured_as_huggingface_hub_does()
    {
        var options = From(("HF_ENDPOINT", "https://mirror.example/"), ("HF_TOKEN", "hf_abc"), ("HF_HOME", "/h"), ("HF_HUB_OFFLINE", "yes"));

        options.Endpoint.Should().Be(new Uri("https://mirror.example"));
        options.Token.Should().Be("hf_abc");
        options.CacheDirectory.Should().Be("/h/hub");
        options.Offline.Should().BeTrue();
        From(("HF_HOME", "/h"), ("HF_HUB_CACHE", "/c")).CacheDirectory.Should().Be("/c");
        From(("HUGGING_FACE_HUB_TOKEN", "legacy")).Token.Should().Be("legacy");
        From(("HF_HUB_OFFLINE", "0")).Offline.Should().BeFalse();
    }

    [Fact]
    public void The_token_file_under_HF_HOME_is_read_when_no_variable_is_set()
    {
        var home = Path.Combine(Path.GetTempPath(), "hf-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            File.WriteAllText(Path.Combine(home, "token"), "hf_from_file\n");

            From(("HF_HOME", home)).Token.Should().Be("hf_from_file");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_bad_endpoint_is_named()
    {
        FluentActions.Invoking(() => From(("HF_ENDPOINT", "ftp://x"))).Should().Throw<ArgumentException>().WithMessage("*HF_ENDPOINT*");
    }
}
