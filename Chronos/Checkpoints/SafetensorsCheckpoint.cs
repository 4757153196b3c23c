namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// The weights of a checkpoint folder, single-file (<c>model.safetensors</c>) or sharded
/// (<c>model.safetensors.index.json</c> + the shards of its weight_map), looked up by state_dict name with the T5
/// tied embedding resolved (<see cref="T5TiedWeights"/>). Like transformers' from_pretrained, a single file wins
/// over an index when both are present.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";

    private readonly Dictionary<string, SafetensorsFile> fileOf;
    private readonly List<SafetensorsFile> files;

    private SafetensorsCheckpoint(string folder, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileOf,
        bool tieWordEmbeddings, SafetensorsIndex? index)
    {
        Folder = folder;
        this.files = files;
        this.fileOf = fileOf;
        TieWordEmbeddings = tieWordEmbeddings;
        Index = index;
    }

    public string Folder { get; }

    /// <summary>Whether lm_head.weight is tied to shared.weight (config.json tie_word_embeddings, default true).</summary>
    public bool TieWordEmbeddings { get; }

    /// <summary>The shard index, or null for a single-file checkpoint.</summary>
    public SafetensorsIndex? Index { get; }

    /// <summary>The opened files (one, or one per shard).</summary>
    public IReadOnlyList<SafetensorsFile> Files => files;

    /// <summary>Stored tensor names (tied copies included when the file has them).</summary>
    public IEnumerable<string> Names => fileOf.Keys;

    public static SafetensorsCheckpoint Open(string folder, bool tieWordEmbeddings = true)
    {
        var single = Path.Combine(folder, SingleFileName);
        var indexPath = Path.Combine(folder, SafetensorsIndex.FileName);
        if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            return new SafetensorsCheckpoint(folder, [file], file.Header.Tensors.ToDictionary(t => t.Name, _ => file, StringComparer.Ordinal),
                tieWordEmbeddings, null);
        }
        if (!File.Exists(indexPath))
            throw new FileNotFoundException(
                $"{folder}: neither {SingleFileName} nor {SafetensorsIndex.FileName} is in the checkpoint folder "
                + "(PyTorch .bin checkpoints are not read; convert them with save_pretrained(safe_serialization=True)).", single);
        var index = SafetensorsIndex.Read(indexPath);
        var opened = new List<SafetensorsFile>();
        try
        {
            var byShard = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var shard in index.Shards)
            {
                var path = Path.Combine(folder, shard);
                if (!File.Exists(path))
                    throw new FileNotFoundException($"{indexPath}: shard '{shard}' named in weight_map is not in the folder.", path);
                var file = SafetensorsFile.Open(path);
                opened.Add(file);
                byShard[shard] = file;
            }
            var fileOf = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (name, shard) in index.WeightMap)
            {
                var file = byShard[shard];
                if (!file.Contains(name))
                    throw new MissingTensorException(file.Path, name);
                fileOf[name] = file;
            }
            return new SafetensorsCheckpoint(folder, opened, fileOf, tieWordEmbeddings, index);
        }
        catch
        {
            foreach (var file in opened)
                file.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="name"/> (or a tied copy of it) is stored.</summary>
    public bool Contains(string name) => T5TiedWeights.Resolve(name, fileOf.ContainsKey, TieWordEmbeddings) is not null;

    /// <summary>The file and entry holding <paramref name="name"/>, tied copies resolved; <see cref="MissingTensorException"/> if none.</summary>
    public (SafetensorsFile File, SafetensorsTensorInfo Info) Get(string name)
    {
        var stored = T5TiedWeights.Resolve(name, fileOf.ContainsKey, TieWordEmbeddings)
            ?? throw new MissingTensorException(Index is null ? Path.Combine(Folder, SingleFileName) : Path.Combine(Folder, SafetensorsIndex.FileName), name);
        var file = fileOf[stored];
        return (file, file.GetInfo(stored));
    }

    /// <summary><see cref="Get(string)"/> checked to have <paramref name="expectedShape"/>.</summary>
    public (SafetensorsFile File, SafetensorsTensorInfo Info) Get(string name, IReadOnlyList<long> expectedShape)
    {
        var (file, info) = Get(name);
        if (!info.Shape.SequenceEqual(expectedShape))
            throw new TensorShapeMismatchException(file.Path, name, expectedShape, info.Shape);
        return (file, info);
    }

    /// <summary>The raw bytes of <paramref name="name"/> (a view into the mapped file).</summary>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var (file, info) = Get(name);
        return file.GetBytes(info);
    }

    public void Dispose()
    {
        foreach (var file in files)
            file.Dispose();
    }
}
