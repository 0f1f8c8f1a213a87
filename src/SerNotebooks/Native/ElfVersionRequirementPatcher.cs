// This one file is compiled twice: into the SerNotebooks library (SERNOTEBOOKS_LIBRARY defined, used at run
// time) and by MSBuild's RoslynCodeTaskFactory from Directory.Build.targets (used at build time). The task
// compiler targets netstandard2.0 without implicit usings or nullable context, so the code below sticks to
// netstandard2.0 APIs (no Span, BinaryPrimitives, records or init accessors) and spells out its usings.
#nullable enable
#pragma warning disable IDE0005 // The library build sees these usings as redundant; the task build needs them.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#pragma warning restore IDE0005

namespace SerNotebooks.Native;

/// <summary>What <see cref="ElfVersionRequirementPatcher"/> found or did to one file.</summary>
public enum ElfPatchOutcome
{
    /// <summary>The version requirement was strict and is now weak.</summary>
    Patched,
    /// <summary>The requirement exists and is already weak: nothing written.</summary>
    AlreadyWeak,
    /// <summary>The requirement exists and is strict (only reported by <see cref="ElfVersionRequirementPatcher.Inspect"/>).</summary>
    Strict,
    /// <summary>The file does not require the version at all: nothing to do.</summary>
    NotRequired,
    /// <summary>The file is not an ELF object.</summary>
    NotElf,
    /// <summary>An ELF object, but not 64-bit little-endian (the only layout TorchSharp ships for linux-x64).</summary>
    UnsupportedElf,
}

/// <summary>The result of inspecting or patching one version requirement of one ELF file.</summary>
public sealed class ElfPatchResult
{
    public ElfPatchResult(string path, string versionName, ElfPatchOutcome outcome,
        string? requiredFrom = null, long flagsOffset = -1, int flagsBefore = 0, int flagsAfter = 0)
    {
        Path = path;
        VersionName = versionName;
        Outcome = outcome;
        RequiredFrom = requiredFrom;
        FlagsOffset = flagsOffset;
        FlagsBefore = flagsBefore;
        FlagsAfter = flagsAfter;
    }

    public string Path { get; }
    public string VersionName { get; }
    public ElfPatchOutcome Outcome { get; }

    /// <summary>The library the version is required from (the Verneed file name, e.g. libstdc++.so.6).</summary>
    public string? RequiredFrom { get; }

    /// <summary>File offset of the Vernaux <c>vna_flags</c> field; -1 when there is no such entry.</summary>
    public long FlagsOffset { get; }
    public int FlagsBefore { get; }
    public int FlagsAfter { get; }

    /// <summary>One line for build logs and diagnostics.</summary>
    public string Describe()
    {
        switch (Outcome)
        {
            case ElfPatchOutcome.Patched:
                return $"made {VersionName} (from {RequiredFrom}) a weak requirement in {Path}";
            case ElfPatchOutcome.AlreadyWeak:
                return $"{VersionName} (from {RequiredFrom}) is already a weak requirement in {Path}";
            case ElfPatchOutcome.Strict:
                return $"{VersionName} (from {RequiredFrom}) is a strict requirement in {Path}";
            case ElfPatchOutcome.NotRequired:
                return $"{Path} does not require {VersionName}";
            case ElfPatchOutcome.NotElf:
                return $"{Path} is not an ELF file";
            default:
                return $"{Path} is not a 64-bit little-endian ELF file";
        }
    }

    public override string ToString() => Describe();
}

/// <summary>
/// Reads and edits GNU symbol-version sections of ELF64 little-endian files.
/// <para>
/// TorchSharp-cpu 0.107's libLibTorchSharp.so lists GLIBCXX_3.4.32 (GCC 13's libstdc++) among its version
/// requirements only because GCC 13's &lt;iostream&gt; references <c>std::ios_base_library_init()</c> as a
/// link-time marker; nothing relocates against it. glibc's loader refuses a strict requirement the system
/// libstdc++ lacks (Debian 12, Ubuntu 22.04) but accepts a weak one, so setting VER_FLG_WEAK on that single
/// Vernaux entry is the whole fix.
/// </para>
/// </summary>
public static class ElfVersionRequirementPatcher
{
    /// <summary>VER_FLG_WEAK from elf.h.</summary>
    public const int WeakFlag = 0x2;

    /// <summary>The version TorchSharp 0.107's native shim needs but never binds to.</summary>
    public const string TorchSharpVersionRequirement = "GLIBCXX_3.4.32";

    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const int Elf64HeaderSize = 64;
    private const int Elf64SectionHeaderSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;
    private const int VerdefSize = 20;

    /// <summary>Reports whether <paramref name="path"/> requires <paramref name="versionName"/> and how.</summary>
    public static ElfPatchResult Inspect(string path, string versionName)
    {
        using var stream = OpenRead(path);
        return Find(stream, path, versionName);
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on the requirement of <paramref name="versionName"/>. Idempotent: a file that is
    /// already weak, does not require the version, or is not ELF is left byte-for-byte untouched.
    /// </summary>
    /// <remarks>
    /// The two bytes are written in place (the file keeps its inode, owner and mode) and the file's
    /// last-write time is restored afterwards. MSBuild's copy-local step skips files whose size and
    /// timestamp match the package's copy; keeping both unchanged means an incremental build neither copies
    /// the unpatched library back over the patched one nor treats every build as having changed outputs.
    /// </remarks>
    public static ElfPatchResult MakeWeak(string path, string versionName)
    {
        ElfPatchResult found;
        using (var stream = OpenRead(path))
        {
            found = Find(stream, path, versionName);
        }
        if (found.Outcome != ElfPatchOutcome.Strict)
        {
            return found;
        }

        var flags = found.FlagsBefore | WeakFlag;
        var lastWrite = File.GetLastWriteTimeUtc(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            stream.Position = found.FlagsOffset;
            stream.WriteByte((byte)(flags & 0xff));
            stream.WriteByte((byte)((flags >> 8) & 0xff));
            stream.Flush(true);
        }
        File.SetLastWriteTimeUtc(path, lastWrite);
        return new ElfPatchResult(path, versionName, ElfPatchOutcome.Patched, found.RequiredFrom,
            found.FlagsOffset, found.FlagsBefore, flags);
    }

    /// <summary>
    /// True when the ELF file <paramref name="path"/> defines <paramref name="versionName"/> in its
    /// .gnu.version_d section (e.g. whether a libstdc++ provides GLIBCXX_3.4.32).
    /// </summary>
    public static bool DefinesVersion(string path, string versionName)
    {
        using var stream = OpenRead(path);
        return DefinedVersions(stream, path).Contains(versionName);
    }

    /// <summary>All version names the ELF file defines (.gnu.version_d); empty for non-ELF files.</summary>
    public static IReadOnlyCollection<string> DefinedVersions(string path)
    {
        using var stream = OpenRead(path);
        return DefinedVersions(stream, path);
    }

    private static FileStream OpenRead(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ELF file not found: {path}", path);
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    }

    private static ElfPatchResult Find(FileStream stream, string path, string versionName)
    {
        var layout = ReadLayout(stream, path);
        if (layout.Outcome is { } notReadable)
        {
            return new ElfPatchResult(path, versionName, notReadable);
        }

        foreach (var section in layout.Sections)
        {
            if (section.Type != ShtGnuVerneed)
            {
                continue;
            }
            var data = ReadSection(stream, path, section);
            var strings = ReadLinkedStrings(stream, path, layout.Sections, section);
            long needOffset = 0;
            for (var need = 0; need < section.Info; need++)
            {
                Require(needOffset + VerneedSize <= data.Length, path, "a Verneed entry runs past the end of .gnu.version_r");
                var auxCount = U16(data, needOffset + 2);
                var fileName = CString(strings, U32(data, needOffset + 4), path);
                var auxOffset = needOffset + U32(data, needOffset + 8);
                for (var aux = 0; aux < auxCount; aux++)
                {
                    Require(auxOffset + VernauxSize <= data.Length, path, "a Vernaux entry runs past the end of .gnu.version_r");
                    var flags = U16(data, auxOffset + 4);
                    var name = CString(strings, U32(data, auxOffset + 8), path);
                    if (name == versionName)
                    {
                        var outcome = (flags & WeakFlag) != 0 ? ElfPatchOutcome.AlreadyWeak : ElfPatchOutcome.Strict;
                        return new ElfPatchResult(path, versionName, outcome, fileName,
                            section.Offset + auxOffset + 4, flags, flags);
                    }
                    var nextAux = U32(data, auxOffset + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }
                    auxOffset += nextAux;
                }
                var nextNeed = U32(data, needOffset + 12);
                if (nextNeed == 0)
                {
                    break;
                }
                needOffset += nextNeed;
            }
        }
        return new ElfPatchResult(path, versionName, ElfPatchOutcome.NotRequired);
    }

    private static HashSet<string> DefinedVersions(FileStream stream, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var layout = ReadLayout(stream, path);
        if (layout.Outcome is not null)
        {
            return names;
        }
        foreach (var section in layout.Sections)
        {
            if (section.Type != ShtGnuVerdef)
            {
                continue;
            }
            var data = ReadSection(stream, path, section);
            var strings = ReadLinkedStrings(stream, path, layout.Sections, section);
            long defOffset = 0;
            for (var def = 0; def < section.Info; def++)
            {
                Require(defOffset + VerdefSize <= data.Length, path, "a Verdef entry runs past the end of .gnu.version_d");
                var auxOffset = defOffset + U32(data, defOffset + 12);
                Require(auxOffset + 8 <= data.Length, path, "a Verdaux entry runs past the end of .gnu.version_d");
                // The first Verdaux names the version itself; later ones name its parents.
                names.Add(CString(strings, U32(data, auxOffset), path));
                var next = U32(data, defOffset + 16);
                if (next == 0)
                {
                    break;
                }
                defOffset += next;
            }
        }
        return names;
    }

    private sealed class Section
    {
        public Section(uint type, long offset, long size, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
        }

        public uint Type { get; }
        public long Offset { get; }
        public long Size { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    private sealed class Layout
    {
        public Layout(ElfPatchOutcome? outcome, IReadOnlyList<Section> sections)
        {
            Outcome = outcome;
            Sections = sections;
        }

        /// <summary>Set when the file cannot be read as ELF64 LE.</summary>
        public ElfPatchOutcome? Outcome { get; }
        public IReadOnlyList<Section> Sections { get; }
    }

    private static Layout ReadLayout(FileStream stream, string path)
    {
        var none = new Section[0];
        if (stream.Length < 16)
        {
            return new Layout(ElfPatchOutcome.NotElf, none);
        }
        var ident = ReadAt(stream, path, 0, 16);
        if (ident[0] != 0x7f || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
        {
            return new Layout(ElfPatchOutcome.NotElf, none);
        }
        const byte elfClass64 = 2;
        const byte littleEndian = 1;
        if (ident[4] != elfClass64 || ident[5] != littleEndian)
        {
            return new Layout(ElfPatchOutcome.UnsupportedElf, none);
        }

        var header = ReadAt(stream, path, 0, Elf64HeaderSize);
        var sectionTableOffset = (long)U64(header, 0x28);
        var entrySize = U16(header, 0x3a);
        long count = U16(header, 0x3c);
        if (sectionTableOffset == 0)
        {
            return new Layout(null, none);
        }
        Require(entrySize >= Elf64SectionHeaderSize, path, $"section header entries are {entrySize} bytes, expected {Elf64SectionHeaderSize}");
        if (count == 0)
        {
            // Extended numbering: with 0xff00 or more sections the real count lives in section 0's sh_size.
            count = (long)U64(ReadAt(stream, path, sectionTableOffset, Elf64SectionHeaderSize), 0x20);
        }
        Require(sectionTableOffset + count * entrySize <= stream.Length, path, "the section header table runs past the end of the file");

        var table = ReadAt(stream, path, sectionTableOffset, checked((int)(count * entrySize)));
        var sections = new Section[count];
        for (var i = 0; i < count; i++)
        {
            long at = i * entrySize;
            sections[i] = new Section(
                type: U32(table, at + 4),
                offset: (long)U64(table, at + 0x18),
                size: (long)U64(table, at + 0x20),
                link: U32(table, at + 0x28),
                info: U32(table, at + 0x2c));
        }
        return new Layout(null, sections);
    }

    private static byte[] ReadSection(FileStream stream, string path, Section section) =>
        ReadAt(stream, path, section.Offset, checked((int)section.Size));

    private static byte[] ReadLinkedStrings(FileStream stream, string path, IReadOnlyList<Section> sections, Section section)
    {
        Require(section.Link < sections.Count, path, $"a version section links to string table {section.Link}, which does not exist");
        return ReadSection(stream, path, sections[(int)section.Link]);
    }

    private static byte[] ReadAt(FileStream stream, string path, long offset, int count)
    {
        Require(offset >= 0 && count >= 0 && offset + count <= stream.Length, path,
            $"{count} bytes at offset {offset} lie beyond the end of the file ({stream.Length} bytes)");
        var buffer = new byte[count];
        stream.Position = offset;
        var read = 0;
        while (read < count)
        {
            var n = stream.Read(buffer, read, count - read);
            Require(n > 0, path, $"unexpected end of file at offset {offset + read}");
            read += n;
        }
        return buffer;
    }

    private static string CString(byte[] strings, uint offset, string path)
    {
        Require(offset < strings.Length, path, $"string offset {offset} lies outside the string table ({strings.Length} bytes)");
        var end = (int)offset;
        while (end < strings.Length && strings[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(strings, (int)offset, end - (int)offset);
    }

    private static void Require(bool condition, string path, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Malformed ELF file {path}: {problem}.");
        }
    }

    private static int U16(byte[] b, long at) => b[at] | (b[at + 1] << 8);

    private static uint U32(byte[] b, long at) =>
        (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

    private static ulong U64(byte[] b, long at) => U32(b, at) | ((ulong)U32(b, at + 4) << 32);
}

/// <summary>Finds the libstdc++ the dynamic loader will bind this process's native libraries to.</summary>
public static class SystemLibStdCxx
{
    private const string SharedObjectName = "libstdc++.so.6";

    private static readonly string[] WellKnownDirectories =
    {
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib", "/lib",
    };

    /// <summary>
    /// The libstdc++.so.6 mapped into this process (the .NET host links it, and the loader reuses an already
    /// mapped copy for every later dlopen), else the first one in the usual library folders; null if none.
    /// </summary>
    public static string? Locate()
    {
        const string maps = "/proc/self/maps";
        if (File.Exists(maps))
        {
            foreach (var line in File.ReadAllLines(maps))
            {
                var slash = line.IndexOf('/');
                if (slash < 0)
                {
                    continue;
                }
                var mapped = line.Substring(slash);
                if (Path.GetFileName(mapped).StartsWith(SharedObjectName, StringComparison.Ordinal) && File.Exists(mapped))
                {
                    return mapped;
                }
            }
        }
        foreach (var directory in WellKnownDirectories)
        {
            var candidate = Path.Combine(directory, SharedObjectName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

#if !SERNOTEBOOKS_LIBRARY
/// <summary>
/// MSBuild task (compiled inline by RoslynCodeTaskFactory, see Directory.Build.targets): makes the
/// GLIBCXX_3.4.32 requirement of each given libLibTorchSharp.so weak unless the system libstdc++ defines it.
/// </summary>
public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

    public string VersionName { get; set; } = ElfVersionRequirementPatcher.TorchSharpVersionRequirement;

    public override bool Execute()
    {
        try
        {
            var libStdCxx = SystemLibStdCxx.Locate();
            if (libStdCxx is not null && ElfVersionRequirementPatcher.DefinesVersion(libStdCxx, VersionName))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"SerNotebooks: {libStdCxx} defines {VersionName}; libLibTorchSharp.so left untouched.");
                return true;
            }
            var lines = new List<string>();
            foreach (var item in Files)
            {
                lines.Add(ElfVersionRequirementPatcher.MakeWeak(item.GetMetadata("FullPath"), VersionName).Describe());
            }
            var reason = libStdCxx is null ? "no libstdc++.so.6 found" : $"{libStdCxx} lacks {VersionName}";
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                $"SerNotebooks: TorchSharp compatibility fix ({reason}): {string.Join("; ", lines)}");
            return true;
        }
        catch (Exception error) when (error is IOException || error is UnauthorizedAccessException)
        {
            Log.LogError($"SerNotebooks: could not apply the TorchSharp compatibility fix: {error.Message}");
            return false;
        }
    }
}
#endif
