/*
 * weaken_version_need FILE VERSION
 *
 * Marks the version requirement VERSION (e.g. GLIBCXX_3.4.32) of the ELF shared library FILE as weak
 * (VER_FLG_WEAK in its Elf64_Vernaux entry of .gnu.version_r), in place.
 *
 * Why: glibc's loader refuses a library whose non-weak version requirement is missing from the providing
 * library (elf/dl-version.c: match_symbol returns an error unless the requirement is weak, in which case it
 * only reports it under LD_DEBUG). patchelf 0.14 (Debian 12) can clear a symbol's version but cannot weaken
 * the requirement itself, and no symbol of libLibTorchSharp.so needs the version once the single symbol
 * std::ios_base_library_init() has had its version cleared.
 *
 * Exit codes: 0 weakened (or already weak), 1 usage or I/O error, 2 not an ELF64 file, 3 version not required.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int in_bounds(size_t offset, size_t length, size_t size)
{
    return offset <= size && length <= size - offset;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]);
        return 1;
    }
    const char *path = argv[1];
    const char *version = argv[2];

    int fd = open(path, O_RDWR);
    if (fd < 0) { perror(path); return 1; }
    struct stat st;
    if (fstat(fd, &st) != 0) { perror(path); close(fd); return 1; }
    size_t size = (size_t)st.st_size;
    unsigned char *image = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (image == MAP_FAILED) { perror(path); return 1; }

    int status = 3;
    const Elf64_Ehdr *header = (const Elf64_Ehdr *)image;
    if (size < sizeof(Elf64_Ehdr) || memcmp(header->e_ident, ELFMAG, SELFMAG) != 0
        || header->e_ident[EI_CLASS] != ELFCLASS64
        || !in_bounds(header->e_shoff, (size_t)header->e_shnum * sizeof(Elf64_Shdr), size)) {
        fprintf(stderr, "%s: not a 64-bit ELF file with section headers\n", path);
        munmap(image, size);
        return 2;
    }

    const Elf64_Shdr *sections = (const Elf64_Shdr *)(image + header->e_shoff);
    for (int s = 0; s < header->e_shnum && status == 3; s++) {
        if (sections[s].sh_type != SHT_GNU_verneed || sections[s].sh_link >= header->e_shnum)
            continue;
        const Elf64_Shdr *strings = &sections[sections[s].sh_link];
        size_t need_offset = sections[s].sh_offset;
        for (Elf64_Word n = 0; n < sections[s].sh_info; n++) {
            if (!in_bounds(need_offset, sizeof(Elf64_Verneed), size)) break;
            Elf64_Verneed *need = (Elf64_Verneed *)(image + need_offset);
            size_t aux_offset = need_offset + need->vn_aux;
            for (Elf64_Half a = 0; a < need->vn_cnt; a++) {
                if (!in_bounds(aux_offset, sizeof(Elf64_Vernaux), size)) break;
                Elf64_Vernaux *aux = (Elf64_Vernaux *)(image + aux_offset);
                size_t name_offset = strings->sh_offset + aux->vna_name;
                if (in_bounds(name_offset, strlen(version) + 1, size)
                    && strcmp((const char *)(image + name_offset), version) == 0) {
                    aux->vna_flags |= VER_FLG_WEAK;
                    printf("%s: version requirement %s marked weak\n", path, version);
                    status = 0;
                }
                if (aux->vna_next == 0) break;
                aux_offset += aux->vna_next;
            }
            if (need->vn_next == 0) break;
            need_offset += need->vn_next;
        }
    }
    if (status == 3)
        fprintf(stderr, "%s: no version requirement named %s\n", path, version);
    msync(image, size, MS_SYNC);
    munmap(image, size);
    return status;
}
