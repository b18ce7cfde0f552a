/*
 * model_compile.c - turn an extraction model file into the C source of its
 * parsed tables, so that the binary carries the model ready to use.
 *
 * usage: model_compile MODEL OUT.c
 * Parses MODEL with the library's own parser (src/lib/model.c) and writes
 * `radar_compiled_model` (model_internal.h): each decision's hash slots and
 * weights, and the joint table of summed weights, as constant arrays laid out
 * exactly as the parser builds them. Weights are written as hexadecimal
 * floating constants, so every bit is kept: the compiled model decides exactly
 * as the parsed text does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/error.h"
#include "radar/model.h"
#include "model_internal.h"

static const char *const table_names[RADAR_DECIDE_COUNT] = {"pair", "stage", "context"};

/* A float constant that reads back to the same bits ("%a" of a float is exact). */
static void put_float(FILE *out, float v)
{
    fprintf(out, "%af", (double)v);
}

/* One decision's slots: keys and weights, only the filled slots written. */
static void write_decision(FILE *out, const decision_table *d, int dec)
{
    if (!d->slots)
        return;
    fprintf(out, "static const uint64_t %s_keys[%zu] = {\n", table_names[dec], d->slots);
    for (size_t i = 0; i < d->slots; i++)
        if (d->keys[i])
            fprintf(out, "    [%zu] = 0x%016llxull,\n", i, (unsigned long long)d->keys[i]);
    fprintf(out, "};\n\nstatic const float %s_w[%zu] = {\n", table_names[dec], d->slots * (size_t)d->width);
    for (size_t i = 0; i < d->slots; i++) {
        if (!d->keys[i])
            continue;
        fprintf(out, "    [%zu] =", i * (size_t)d->width);
        for (int c = 0; c < d->width; c++) {
            fputc(' ', out);
            put_float(out, d->w[i * (size_t)d->width + (size_t)c]);
            fputc(',', out);
        }
        fputc('\n', out);
    }
    fputs("};\n\n", out);
}

/* The joint table: slots of a key and its sums, each slot aligned as the
 * parser's (a multiple of 64 bytes, checked when the output is compiled). */
static void write_joint(FILE *out, const summed_table *j)
{
    if (!j->slots)
        return;
    size_t nsums = MODEL_DOMAINS * (size_t)(j->k + j->kc);
    fprintf(out,
            "typedef struct joint_slot {\n    _Alignas(64) uint64_t key;\n    float sums[%zu];\n} joint_slot;\n"
            "_Static_assert(sizeof(joint_slot) == %zu, \"a joint slot is laid out as model.c lays it\");\n\n",
            nsums, j->stride);
    fprintf(out, "static const joint_slot joint[%zu] = {\n", j->slots);
    for (size_t s = 0; s < j->slots; s++) {
        const unsigned char *slot = j->mem + s * j->stride;
        uint64_t key;
        memcpy(&key, slot, sizeof key);
        if (!key)
            continue;
        fprintf(out, "    [%zu] = {0x%016llxull, {", s, (unsigned long long)key);
        for (size_t x = 0; x < nsums; x++) {
            float v;
            memcpy(&v, slot + sizeof key + x * sizeof v, sizeof v);
            if (x)
                fputs(", ", out);
            put_float(out, v);
        }
        fputs("}},\n", out);
    }
    fputs("};\n\n", out);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: model_compile MODEL OUT.c\n");
        return 2;
    }
    radar_model *m;
    if (radar_model_load(&m, argv[1])) {
        fprintf(stderr, "model_compile: %s\n", radar_last_error());
        return 1;
    }
    FILE *out = fopen(argv[2], "w");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    fprintf(out, "/* Generated from %s by tools/model_compile.c; do not edit. */\n"
                 "#include <stddef.h>\n#include <stdint.h>\n\n#include \"model_internal.h\"\n\n",
            argv[1]);
    for (int dec = 0; dec < RADAR_DECIDE_COUNT; dec++)
        write_decision(out, &m->d[dec], dec);
    write_joint(out, &m->joint);

    fputs("const radar_model radar_compiled_model = {\n    .d = {\n", out);
    for (int dec = 0; dec < RADAR_DECIDE_COUNT; dec++) {
        const decision_table *d = &m->d[dec];
        if (d->slots)
            fprintf(out, "        [%d] = {(uint64_t *)%s_keys, (float *)%s_w, NULL, %zu, %zu, %d, %d},\n", dec,
                    table_names[dec], table_names[dec], d->slots, d->rows, d->k, d->width);
        else
            fprintf(out, "        [%d] = {NULL, NULL, NULL, 0, 0, %d, %d},\n", dec, d->k, d->width);
    }
    fputs("    },\n", out);
    const summed_table *j = &m->joint;
    if (j->slots)
        fprintf(out, "    .joint = {(unsigned char *)joint, sizeof(joint_slot), %zu, %zu, %d, %d},\n", j->slots,
                j->rows, j->k, j->kc);
    fputs("    .threshold = {", out);
    put_float(out, m->threshold[0]);
    fputs(", ", out);
    put_float(out, m->threshold[1]);
    fputs("},\n    .threshold_rule = {", out);
    put_float(out, m->threshold_rule[0]);
    fputs(", ", out);
    put_float(out, m->threshold_rule[1]);
    fputs("},\n    .stage_margin = ", out);
    put_float(out, m->stage_margin);
    fputs(",\n};\n", out);
    radar_model_free(m);
    return fclose(out) == 0 ? 0 : 1;
}
