/*
 * embed.c - turn data files (the lexicon, the web page) into a C source the
 * binary carries.
 *
 * usage: embed [--name SYMBOL] OUT.c ROOT FILE...   (FILE paths relative to ROOT)
 * Writes `SYMBOL[]` (default radar_builtin_lexicon), one radar_embedded_file
 * (src/util/embedded.h: {path, data, len}) per
 * file, and `SYMBOL_count`, so that radar works from any directory without
 * data files beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *name = "radar_builtin_lexicon";
    if (argc > 2 && !strcmp(argv[1], "--name")) {
        name = argv[2];
        argc -= 2;
        argv += 2;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: embed [--name SYMBOL] OUT.c ROOT FILE...\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    fprintf(out, "/* Generated from %s by tools/embed.c; do not edit. */\n#include \"embedded.h\"\n\n", argv[2]);
    for (int i = 3; i < argc; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[2], argv[i]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            perror(path);
            return 1;
        }
        fprintf(out, "static const char file_%d[] =\n\"", i);
        int c, col = 0;
        while ((c = fgetc(f)) != EOF) {
            if (c == '\n') {
                fputs("\\n\"\n\"", out);
                col = 0;
                continue;
            }
            if (c == '"' || c == '\\')
                fprintf(out, "\\%c", c);
            else if (c < 32 || c >= 127 || c == '?')
                fprintf(out, "\\%03o", c);
            else
                fputc(c, out);
            if (++col > 200) {
                fputs("\"\n\"", out);
                col = 0;
            }
        }
        fclose(f);
        fputs("\";\n\n", out);
    }
    fprintf(out, "const radar_embedded_file %s[] = {\n", name);
    for (int i = 3; i < argc; i++)
        fprintf(out, "    {\"%s\", file_%d, sizeof file_%d - 1},\n", argv[i], i, i);
    fprintf(out, "    {NULL, NULL, 0}\n};\nconst size_t %s_count = %d;\n", name, argc - 3);
    return fclose(out) == 0 ? 0 : 1;
}
