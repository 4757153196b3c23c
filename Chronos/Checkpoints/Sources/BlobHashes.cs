using System.Security.Cryptography;
using System.Text;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// The hashes a hub ETag can be: a 64-hex sha256 of the content (LFS files, X-Linked-Etag) or a 40-hex git blob
/// sha1 (regular files: sha1("blob {size}\0" + content)). Other ETags cannot be checked.
/// </summary>
internal static class BlobHashes
{
    /// <summary>The hex digest of <paramref name="path"/> in the scheme of <paramref name="etag"/>, or null when the ETag is neither.</summary>
    public static string? Compute(string path, string etag)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        if (IsHex(etag, 64))
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!IsHex(etag, 40))
            return null;
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {stream.Length}\0"));
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0)
            sha1.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(sha1.GetHashAndReset());
    }

    private static bool IsHex(string value, int length) => value.Length == length && value.All(Uri.IsHexDigit);
}
