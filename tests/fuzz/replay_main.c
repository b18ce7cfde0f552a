/*
 * replay_main.c - run a fuzz target over saved inputs, without libFuzzer.
 *
 *     fuzz_replay PATH...
 *
 * Every regular file under each PATH (directories are read recursively, in
 * name order; names starting with '.' are skipped) is read whole and passed
 * once to LLVMFuzzerTestOneInput. A crash or a broken invariant aborts the
 * process, which is how ctest sees the failure; an unreadable path is an
 * error too, so that a missing corpus never passes silently. Linked only into
 * builds without -fsanitize=fuzzer (libFuzzer brings its own main).
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *p = realloc(data, cap * 2);
            if (!p) {
                free(data);
                data = NULL;
                break;
            }
            data = p;
            cap *= 2;
        }
    }
    int err = !data || ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "fuzz_replay: %s: cannot read\n", path);
        free(data);
        return 1;
    }
    /* an exact-size copy, so that ASan catches reads past the end of the input */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return 1;
    }
    memcpy(exact, data, len);
    free(data);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

static int no_dot(const struct dirent *d) { return d->d_name[0] != '.'; }

static int replay_path(const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return S_ISREG(st.st_mode) ? replay_file(path) : 0;
    if (depth > 16)
        return 0;
    struct dirent **names;
    int n = scandir(path, &names, no_dot, alphasort);
    if (n < 0) {
        fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
        char *child = malloc(len);
        if (child) {
            snprintf(child, len, "%s/%s", path, names[i]->d_name);
            failed |= replay_path(child, depth + 1);
            free(child);
        } else {
            failed = 1;
        }
        free(names[i]);
    }
    free(names);
    return failed;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
        return 2;
    }
    int failed = 0;
    for (int i = 1; i < argc; i++)
        failed |= replay_path(argv[i], 0);
    printf("replayed %lu inputs\n", replayed);
    return failed ? 1 : 0;
}
