using System.Security.Cryptography;

namespace Forecast.Core.Artifacts;

/// <summary>
/// A run file too large for memory, written to a temporary local file and hashed (SHA-256) as it is written, then
/// handed to <see cref="RunWriter.PutFileAsync"/>. <see cref="Stream"/> is write-only and reports its position (the
/// bytes written), which is all a Parquet writer needs. Disposing deletes the file unless it was put into a run.
/// </summary>
public sealed class TemporaryRunFile : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;

    public TemporaryRunFile()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"forecast-{Guid.NewGuid():N}.run-file");
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        Stream = new HashingWriteStream(this);
    }

    public string Path { get; }

    public Stream Stream { get; }

    public long Length { get; private set; }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        if (_sha256 is not null) throw new InvalidOperationException("The file is already closed.");
        _hash.AppendData(bytes.Span);
        Length += bytes.Length;
        return _file.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>Flushes and closes the file; its lower-case hex SHA-256.</summary>
    public async Task<string> CloseAsync()
    {
        if (_sha256 is not null) return _sha256;
        await _file.FlushAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return _sha256;
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        _hash.Dispose();
        try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed class HashingWriteStream(TemporaryRunFile owner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => owner.Length;
        public override long Position { get => owner.Length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            owner._hash.AppendData(buffer);
            owner.Length += buffer.Length;
            owner._file.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => owner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            owner.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
