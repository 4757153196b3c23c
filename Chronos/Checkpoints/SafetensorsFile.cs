using System.IO.MemoryMappedFiles;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// A safetensors file opened read-only and memory-mapped: the header is parsed and validated on open, and each
/// tensor's bytes are handed out as a span over the mapping (zero copy; the OS pages in only what is read). Spans
/// are valid until the file is disposed. <see cref="CopyTo"/> reads a tensor straight into a destination buffer
/// (e.g. a TorchSharp tensor's storage) with positioned reads instead, so that loading a model does not also keep
/// the mapped pages resident: peak RSS is the model, not twice the model.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle handle;
    private byte* start;

    private SafetensorsFile(string path, Microsoft.Win32.SafeHandles.SafeFileHandle handle, MemoryMappedFile map,
        MemoryMappedViewAccessor view, byte* start, long length)
    {
        Path = path;
        this.handle = handle;
        this.map = map;
        this.view = view;
        this.start = start;
        Length = length;
        var headerLength = SafetensorsHeader.ReadHeaderLength(new ReadOnlySpan<byte>(start, (int)Math.Min(length, 8)), length, path);
        Header = SafetensorsHeader.Parse(new ReadOnlySpan<byte>(start + 8, checked((int)headerLength)), length, path);
    }

    public string Path { get; }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    public SafetensorsHeader Header { get; }

    /// <summary>Tensor names in file order.</summary>
    public IEnumerable<string> Names => Header.Tensors.Select(t => t.Name);

    /// <summary>Opens and validates <paramref name="path"/>; throws <see cref="SafetensorsFormatException"/> when malformed.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: safetensors file not found.", path);
        // Through a handle: its length is the target's when the path is a symlink (hub cache snapshots are).
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var stream = new FileStream(handle, FileAccess.Read, 1);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            var length = stream.Length;
            if (length < 8)
                SafetensorsHeader.ReadHeaderLength(ReadOnlySpan<byte>.Empty, length, path);
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            return new SafetensorsFile(path, handle, map, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            if (acquired)
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            map?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => Header.TryGet(name, out _);

    /// <summary>The header entry of <paramref name="name"/>; <see cref="MissingTensorException"/> when absent.</summary>
    public SafetensorsTensorInfo GetInfo(string name) =>
        Header.TryGet(name, out var info) ? info : throw new MissingTensorException(Path, name);

    /// <summary>The entry of <paramref name="name"/>, checked to have <paramref name="expectedShape"/>.</summary>
    public SafetensorsTensorInfo GetInfo(string name, IReadOnlyList<long> expectedShape)
    {
        var info = GetInfo(name);
        if (!info.Shape.SequenceEqual(expectedShape))
            throw new TensorShapeMismatchException(Path, name, expectedShape, info.Shape);
        return info;
    }

    /// <summary>The raw little-endian bytes of <paramref name="name"/> (a view into the mapping).</summary>
    public ReadOnlySpan<byte> GetBytes(string name) => GetBytes(GetInfo(name));

    /// <summary>The raw bytes of a tensor of this file's header.</summary>
    public ReadOnlySpan<byte> GetBytes(SafetensorsTensorInfo info)
    {
        ObjectDisposedException.ThrowIf(start == null, this);
        if (!Header.TryGet(info.Name, out var own) || own != info)
            throw new ArgumentException($"tensor '{info.Name}' is not an entry of {Path}.", nameof(info));
        if (info.ByteLength > int.MaxValue)
            throw new NotSupportedException($"{Path}: tensor '{info.Name}' has {info.ByteLength} bytes; spans are limited to 2 GB.");
        return new ReadOnlySpan<byte>(start + Header.DataStart + info.Begin, (int)info.ByteLength);
    }

    /// <summary>
    /// Reads the bytes of <paramref name="info"/> into <paramref name="destination"/> (exactly its length) with
    /// positioned reads from the page cache — one copy, without mapping pages into this process.
    /// </summary>
    public void CopyTo(SafetensorsTensorInfo info, Span<byte> destination)
    {
        if (destination.Length != info.ByteLength)
            throw new ArgumentException(
                $"{Path}: tensor '{info.Name}' has {info.ByteLength} bytes but the destination holds {destination.Length}.", nameof(destination));
        ReadRange(info, 0, destination);
    }

    /// <summary>Reads <paramref name="destination"/>.Length bytes of <paramref name="info"/> from byte <paramref name="offset"/> of the tensor.</summary>
    public void ReadRange(SafetensorsTensorInfo info, long offset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(start == null, this);
        if (!Header.TryGet(info.Name, out var own) || own != info)
            throw new ArgumentException($"tensor '{info.Name}' is not an entry of {Path}.", nameof(info));
        if (offset < 0 || offset + destination.Length > info.ByteLength)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"{Path}: bytes {offset}..{offset + destination.Length} are outside tensor '{info.Name}' ({info.ByteLength} bytes).");
        var position = Header.DataStart + info.Begin + offset;
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(handle, destination, position);
            if (read == 0)
                throw new SafetensorsFormatException(Path, SafetensorsProblem.Truncated,
                    $"the file ended while reading tensor '{info.Name}'; it was truncated after it was opened.", info.Name);
            destination = destination[read..];
            position += read;
        }
    }

    public void Dispose()
    {
        if (start == null)
            return;
        start = null;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
        handle.Dispose();
    }
}
