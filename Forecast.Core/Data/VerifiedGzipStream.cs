using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Forecast.Core.Data;

/// <summary>
/// Decompresses a gzip file (RFC 1952) member by member and checks every member's trailer, CRC-32 and ISIZE, against
/// the bytes it decompressed. .NET's GZipStream ends quietly when the input ends inside a member, so a truncated
/// .csv.gz (or one without its trailer) would load as fewer rows; here it is a <see cref="DataException"/>.
/// </summary>
/// <remarks>
/// Each member's deflate data goes through a raw <see cref="DeflateStream"/>, which reads ahead: the bytes after the
/// deflate data are somewhere in the chunk it was last handed. The trailer is found there as the 8 bytes
/// CRC-32(data) ‖ size mod 2³² (a chance match inside compressed data has probability 2⁻⁶⁴ per position), and the
/// bytes after it start the next member. Concatenated members (<c>cat a.gz b.gz</c>, bgzip) read as one text, as
/// gzip -d reads them; zero padding after the last member is ignored as gzip does, anything else is an error.
/// </remarks>
internal sealed class VerifiedGzipStream(Stream raw, string fileName) : Stream
{
    private const int Chunk = 64 * 1024;
    private const int TrailerLength = 8;

    // Bytes read from the raw stream: [0, _length) of the current fill, handed out or parsed up to _position.
    private readonly byte[] _buffer = new byte[Chunk + 4 * TrailerLength];
    private int _position;
    private int _length;
    private bool _rawEnded;

    private readonly Crc32 _crc = new();
    private DeflateStream? _member;
    private int _memberDataStart;
    private long _memberSize;
    private int _members;
    private bool _finished;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (!_finished)
        {
            if (_member is null && !StartMember()) break;
            int n;
            try
            {
                n = _member!.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw Corrupt($"member {_members}'s compressed data is corrupt ({e.Message})", e);
            }
            if (n > 0)
            {
                _crc.Append(buffer[..n]);
                _memberSize += n;
                return n;
            }
            EndMember();
        }
        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    // Inflating is CPU work on bytes the raw stream hands over; reading synchronously avoids the base class's
    // thread-pool hop per call.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    /// <summary>Parses a member header; false at the end of the gzip data (end of file, or zero padding after a member).</summary>
    private bool StartMember()
    {
        if (!HasUnread()) return Finish(); // the end (an empty file reads as empty text, which the CSV reader names)
        if (_members > 0 && _buffer[_position] != 0x1f)
        {
            long trailing = CountTrailingBytes(out bool allZero);
            if (allZero) return Finish();
            throw Corrupt($"{trailing} bytes after gzip member {_members} are not gzip data (trailing garbage)", null);
        }

        var header = new Crc32();
        Span<byte> fixedPart = stackalloc byte[10];
        ReadHeaderBytes(fixedPart, header, "the 10-byte header");
        if (fixedPart[0] != 0x1f || fixedPart[1] != 0x8b)
            throw Corrupt(_members == 0 ? "it does not start with the gzip signature 1f 8b" : $"member {_members + 1} does not start with the gzip signature 1f 8b", null);
        if (fixedPart[2] != 8)
            throw Corrupt($"member {_members + 1} uses compression method {fixedPart[2]}, not deflate (8)", null);
        byte flags = fixedPart[3];
        if ((flags & 0xE0) != 0)
            throw Corrupt($"member {_members + 1}'s header has reserved flag bits set (0x{flags:x2})", null);
        Span<byte> two = stackalloc byte[2];
        if ((flags & 0x04) != 0) // FEXTRA: XLEN then that many bytes
        {
            ReadHeaderBytes(two, header, "the extra field's length");
            int extra = BinaryPrimitives.ReadUInt16LittleEndian(two);
            for (int i = 0; i < extra; i++) ReadHeaderBytes(two[..1], header, "the extra field");
        }
        if ((flags & 0x08) != 0) SkipZeroTerminated(header, "the original file name"); // FNAME
        if ((flags & 0x10) != 0) SkipZeroTerminated(header, "the comment"); // FCOMMENT
        if ((flags & 0x02) != 0) // FHCRC: the low 16 bits of the CRC-32 of the header so far
        {
            uint expected = header.GetCurrentHashAsUInt32() & 0xFFFF;
            ReadHeaderBytes(two, null, "the header checksum");
            if (BinaryPrimitives.ReadUInt16LittleEndian(two) != expected)
                throw Corrupt($"member {_members + 1}'s header checksum does not match its header", null);
        }

        _members++;
        _crc.Reset();
        _memberSize = 0;
        _memberDataStart = _position;
        _member = new DeflateStream(new MemberInput(this), CompressionMode.Decompress, leaveOpen: true);
        return true;
    }

    /// <summary>Finds the member's trailer after its deflate data and moves the read position just past it.</summary>
    private void EndMember()
    {
        _member!.Dispose();
        _member = null;
        Span<byte> trailer = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_memberSize));
        // The trailer may lie partly or wholly beyond what the inflater was handed: read up to 8 more bytes, first moving
        // this member's bytes to the front when the buffer has no room left.
        if (_buffer.Length - _length < TrailerLength)
        {
            _buffer.AsSpan(_memberDataStart, _length - _memberDataStart).CopyTo(_buffer);
            _position -= _memberDataStart;
            _length -= _memberDataStart;
            _memberDataStart = 0;
        }
        while (!_rawEnded && _length - _position < TrailerLength)
        {
            int n = raw.Read(_buffer.AsSpan(_length, _buffer.Length - _length));
            if (n == 0) _rawEnded = true;
            _length += n;
        }
        int at = _buffer.AsSpan(_memberDataStart, _length - _memberDataStart).IndexOf(trailer);
        if (at < 0)
        {
            throw Corrupt($"member {_members} has no trailer matching its {_memberSize} decompressed bytes (CRC-32 {_crc.GetCurrentHashAsUInt32():x8}, " +
                "length): the file is truncated or corrupt, so rows may be missing; compress the data again", null);
        }
        _position = _memberDataStart + at + TrailerLength;
    }

    private bool Finish()
    {
        _finished = true;
        return false;
    }

    private long CountTrailingBytes(out bool allZero)
    {
        long count = 0;
        allZero = true;
        while (HasUnread())
        {
            allZero &= !_buffer.AsSpan(_position, _length - _position).ContainsAnyExcept((byte)0);
            count += _length - _position;
            _position = _length;
        }
        return count;
    }

    private void ReadHeaderBytes(Span<byte> target, Crc32? header, string what)
    {
        for (int i = 0; i < target.Length; i++)
        {
            if (!HasUnread())
                throw Corrupt($"the file ends inside member {_members + 1}'s header ({what}): it is truncated", null);
            target[i] = _buffer[_position++];
        }
        header?.Append(target);
    }

    private void SkipZeroTerminated(Crc32 header, string what)
    {
        Span<byte> one = stackalloc byte[1];
        do ReadHeaderBytes(one, header, what);
        while (one[0] != 0);
    }

    /// <summary>Whether at least one unread byte is buffered, refilling the buffer from the raw stream when it is used up.</summary>
    private bool HasUnread()
    {
        if (_position < _length) return true;
        if (_rawEnded) return false;
        _position = 0;
        _memberDataStart = 0;
        _length = raw.Read(_buffer.AsSpan(0, Chunk));
        if (_length == 0) _rawEnded = true;
        return _length > 0;
    }

    /// <summary>Hands buffered raw bytes to the inflater.</summary>
    private int Hand(Span<byte> target)
    {
        if (!HasUnread()) return 0;
        int n = Math.Min(target.Length, _length - _position);
        _buffer.AsSpan(_position, n).CopyTo(target);
        _position += n;
        return n;
    }

    private DataException Corrupt(string what, Exception? inner) =>
        new($"the file is not valid gzip: {what}.", fileName, inner: inner);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _member?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The raw bytes of one member's deflate data, as the inflater reads them.</summary>
    private sealed class MemberInput(VerifiedGzipStream owner) : Stream
    {
        public override int Read(Span<byte> buffer) => owner.Hand(buffer);
        public override int Read(byte[] buffer, int offset, int count) => owner.Hand(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
