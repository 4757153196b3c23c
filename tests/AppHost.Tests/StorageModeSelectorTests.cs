using Forecast.AppHost.Storage;

namespace Forecast.AppHost.Tests;

public sealed class StorageModeSelectorTests
{
    private static Func<bool> Docker(bool answers, List<string>? asked = null) => () => { asked?.Add("asked"); return answers; };

    [Theory]
    [InlineData(null, true, StorageMode.LocalStack)]
    [InlineData("auto", true, StorageMode.LocalStack)]
    [InlineData("AUTO", false, StorageMode.S3rver)]
    [InlineData("s3rver", true, StorageMode.S3rver)]
    [InlineData("localstack", true, StorageMode.LocalStack)]
    public void Run_mode_follows_the_setting_and_the_docker_engine(string? configured, bool dockerAnswers, StorageMode expected) =>
        StorageModeSelector.Choose(configured, isPublishMode: false, Docker(dockerAnswers)).Mode.Should().Be(expected);

    [Fact]
    public void LocalStack_without_a_docker_engine_fails_loudly_instead_of_waiting_forever()
    {
        var choose = () => StorageModeSelector.Choose("localstack", isPublishMode: false, Docker(false));

        choose.Should().Throw<InvalidOperationException>().WithMessage("*no Docker engine answers*Storage:Mode=s3rver*");
    }

    [Fact]
    public void An_unknown_mode_names_the_setting_and_the_choices()
    {
        var choose = () => StorageModeSelector.Choose("minio", isPublishMode: false, Docker(true));

        choose.Should().Throw<InvalidOperationException>().WithMessage("*Storage:Mode is 'minio'*auto, localstack or s3rver*");
    }

    [Fact]
    public void Publishing_never_probes_docker_so_the_manifest_is_the_same_on_every_machine()
    {
        var asked = new List<string>();

        StorageModeSelector.Choose("auto", isPublishMode: true, Docker(false, asked)).Mode.Should().Be(StorageMode.LocalStack);
        StorageModeSelector.Choose("s3rver", isPublishMode: true, Docker(true, asked)).Mode.Should().Be(StorageMode.S3rver);
        asked.Should().BeEmpty();
    }

    [Fact]
    public void A_missing_docker_socket_does_not_answer()
    {
        string previous = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "";
        // DockerEngine reads DOCKER_HOST; this test owns no other setting of it.
        Environment.SetEnvironmentVariable("DOCKER_HOST", $"unix:///tmp/no-docker-{Guid.NewGuid():N}.sock");
        try
        {
            DockerEngine.Answers(TimeSpan.FromSeconds(1)).Should().BeFalse();
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", previous.Length == 0 ? null : previous);
        }
    }
}
