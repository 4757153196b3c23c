using Forecast.Core.Artifacts;
using Forecast.Core.Storage;

namespace Forecast.Core.Tests.Storage;

public sealed class S3StorageOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_use_virtual_hosted_style_on_aws()
    {
        var options = new S3StorageOptions();

        options.Validate();
        options.ServiceUrl.Should().BeNull();
        options.EmulatorMode.Should().BeFalse();
    }

    [Fact]
    public void Every_bad_setting_is_named_in_one_error()
    {
        var options = new S3StorageOptions
        {
            ServiceUrl = "localhost:4566",
            MaxAttempts = 0,
            PartSizeBytes = 1 << 20,
            ListPageSize = 5000,
        };

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>()
            .WithMessage("*Storage:S3:ServiceUrl 'localhost:4566' must be an absolute http:// or https:// URL*")
            .WithMessage("*Storage:S3:MaxAttempts is 0*")
            .WithMessage("*Storage:S3:PartSizeBytes is 1048576; S3 needs parts of at least 5 MiB*")
            .WithMessage("*Storage:S3:ListPageSize is 5000*");
    }

    [Fact]
    public void Locations_open_a_local_folder_or_s3_without_creating_a_client_for_local_use()
    {
        int clients = 0;
        using var locations = new StorageLocations(() => { clients++; return S3ObjectStorage.Create(new S3StorageOptions()); });

        locations.OpenArtifactStore("output").Should().BeOfType<LocalFolderArtifactStore>();
        clients.Should().Be(0, "a local run never builds an S3 client (nor looks for AWS credentials)");
        var store = locations.OpenArtifactStore("s3://forecast/prod");
        store.Should().BeOfType<S3ArtifactStore>().Which.Describe("runs/r/metrics.yaml").Should().Be("s3://forecast/prod/runs/r/metrics.yaml");
        clients.Should().Be(1);
    }
}
