/* hostfs_mapcat.c FILE - print FILE through a read-only shared mapping:
   "mapped N bytes: " and the bytes (for the hostfs async end-to-end test). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    struct stat st;
    if (fstat(fd, &st) != 0) { perror("fstat"); return 1; }
    char *m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) { perror("mmap"); return 1; }
    printf("mapped %ld bytes: ", (long)st.st_size);
    fwrite(m, 1, st.st_size, stdout);
    munmap(m, st.st_size);
    close(fd);
    return 0;
}
