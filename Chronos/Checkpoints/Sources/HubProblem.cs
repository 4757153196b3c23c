namespace Forecast.Chronos.Checkpoints;

/// <summary>Why a hub download failed; one value per named error of <see cref="HubDownloadException"/>.</summary>
public enum HubProblem
{
    /// <summary>401/403: no token, or one without access (private or gated repository).</summary>
    Unauthorized,

    /// <summary>404 with X-Error-Code RepoNotFound.</summary>
    RepositoryNotFound,

    /// <summary>404 with X-Error-Code RevisionNotFound.</summary>
    RevisionNotFound,

    /// <summary>404 for a file of an existing repository (X-Error-Code EntryNotFound).</summary>
    EntryNotFound,

    /// <summary>The downloaded bytes do not have the size or hash the hub announced.</summary>
    IntegrityMismatch,

    /// <summary>HF_HUB_OFFLINE is set and the file is not in the cache.</summary>
    NotInOfflineCache,

    /// <summary>Any other HTTP failure, or the connection kept breaking.</summary>
    Transfer,
}
