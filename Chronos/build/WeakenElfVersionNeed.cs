// An MSBuild task (compiled by RoslynCodeTaskFactory from Forecast.Chronos.Native.targets against netstandard, hence
// the plain byte arithmetic; not part of the library).
//
// Copies an ELF64 shared library and marks one of its symbol-version requirements weak (VER_FLG_WEAK in the
// Elf64_Vernaux entry of .gnu.version_r): a one-bit edit of the copy, done by the build itself, so no patchelf,
// compiler or other host tool is needed.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13's libstdc++), which Debian 12's
// libstdc++ (GLIBCXX_3.4.30) lacks, so glibc's loader refuses it. The one symbol with that version,
// std::ios_base_library_init(), is referenced by GCC 13's <iostream> only through an assembler ".globl" directive:
// no relocation uses it, so nothing ever resolves it. glibc's loader accepts a missing version whose requirement is
// weak (elf/dl-version.c, match_symbol). The standard streams that the function would initialise are constructed by
// the ios_base::Init objects of libc10.so and libtorch_cpu.so, which libLibTorchSharp.so needs and which the loader
// therefore initialises first. On hosts that have the version the weak flag changes nothing.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenElfVersionNeed : Microsoft.Build.Utilities.Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public string SourceFile { get; set; } = "";
    [Required] public string DestinationFile { get; set; } = "";
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        byte[] image;
        try
        {
            image = File.ReadAllBytes(SourceFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Log.LogError("{0}: cannot read: {1}", SourceFile, error.Message);
            return false;
        }

        string? problem = MarkWeak(image, Version, out int marked);
        if (problem != null)
        {
            Log.LogError("{0}: {1}", SourceFile, problem);
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(DestinationFile))!);
        string partial = DestinationFile + ".partial";
        File.WriteAllBytes(partial, image);
        if (File.Exists(DestinationFile))
            File.Delete(DestinationFile);
        File.Move(partial, DestinationFile);
        Log.LogMessage(MessageImportance.Normal, marked > 0
            ? $"{DestinationFile}: version requirement {Version} marked weak"
            : $"{DestinationFile}: copied unchanged (no requirement named {Version})");
        return true;
    }

    /// <summary>Sets VER_FLG_WEAK on every requirement named <paramref name="version"/>; returns an error or null.</summary>
    private static string? MarkWeak(byte[] image, string version, out int marked)
    {
        marked = 0;
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            return "not an ELF file";
        if (image[4] != 2 || image[5] != 1)
            return "not a little-endian 64-bit ELF file";

        ulong sectionsOffset = U64(image, 0x28);
        ushort sectionSize = U16(image, 0x3a);
        ushort sectionCount = U16(image, 0x3c);
        if (sectionSize < 64 || !InBounds(sectionsOffset, (ulong)sectionSize * sectionCount, image.Length))
            return "section header table lies outside the file";

        byte[] wanted = Encoding.ASCII.GetBytes(version + "\0");
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)sectionsOffset + s * sectionSize);   // Elf64_Shdr
            if (U32(image, header + 4) != ShtGnuVerneed)
                continue;
            ulong needOffset = U64(image, header + 0x18);
            uint link = U32(image, header + 0x28);
            uint needCount = U32(image, header + 0x2c);
            if (link >= sectionCount)
                return ".gnu.version_r links to a missing string table";
            ulong stringsOffset = U64(image, checked((int)sectionsOffset + (int)link * sectionSize + 0x18));

            for (uint n = 0; n < needCount; n++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                if (!InBounds(needOffset, 16, image.Length))
                    return ".gnu.version_r entry lies outside the file";
                int need = (int)needOffset;
                ushort auxCount = U16(image, need + 2);
                ulong auxOffset = needOffset + U32(image, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    if (!InBounds(auxOffset, 16, image.Length))
                        return ".gnu.version_r auxiliary entry lies outside the file";
                    int aux = (int)auxOffset;
                    ulong nameOffset = stringsOffset + U32(image, aux + 8);
                    if (InBounds(nameOffset, (ulong)wanted.Length, image.Length) && Matches(image, (int)nameOffset, wanted))
                    {
                        ushort flags = (ushort)(U16(image, aux + 4) | VerFlgWeak);
                        image[aux + 4] = (byte)flags;
                        image[aux + 5] = (byte)(flags >> 8);
                        marked++;
                    }
                    uint nextAux = U32(image, aux + 12);
                    if (nextAux == 0)
                        break;
                    auxOffset += nextAux;
                }
                uint nextNeed = U32(image, need + 12);
                if (nextNeed == 0)
                    break;
                needOffset += nextNeed;
            }
        }
        return null;
    }

    private static bool Matches(byte[] image, int offset, byte[] wanted)
    {
        for (int i = 0; i < wanted.Length; i++)
            if (image[offset + i] != wanted[i])
                return false;
        return true;
    }

    private static ushort U16(byte[] image, int offset) => (ushort)(image[offset] | image[offset + 1] << 8);

    private static uint U32(byte[] image, int offset) => U16(image, offset) | (uint)U16(image, offset + 2) << 16;

    private static ulong U64(byte[] image, int offset) => U32(image, offset) | (ulong)U32(image, offset + 4) << 32;

    private static bool InBounds(ulong offset, ulong length, int size) =>
        offset <= (ulong)size && length <= (ulong)size - offset;
}
