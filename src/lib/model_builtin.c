/*
 * model_builtin.c - the model compiled into the binary.
 *
 * At build time tools/model_compile.c parses data/model/extract.model and
 * writes the parsed tables (hash slots, weights, the summed joint table) as
 * constant C arrays, so that start-up only points at them: parsing the text
 * form was most of radar's start-up. The text form is embedded as well: with
 * RADAR_DEBUG set it is parsed instead, as only it keeps each row's feature
 * name for the decisions' explanations.
 */
#include <pthread.h>
#include <stdlib.h>

#include "radar/model.h"
#include "model_internal.h"
#include "../util/embedded.h"

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static const radar_model *builtin;

static void load_builtin(void)
{
    const char *dbg = getenv("RADAR_DEBUG");
    if (!(dbg && *dbg && *dbg != '0')) {
        builtin = &radar_compiled_model;
        return;
    }
    const radar_embedded_file *f = radar_embedded_find(radar_builtin_model, radar_builtin_model_count, "extract.model");
    radar_model *m;
    if (f && radar_model_parse(&m, "extract.model", f->data, f->len) == 0)
        builtin = m;
}

const radar_model *radar_model_builtin(void)
{
    pthread_once(&builtin_once, load_builtin);
    return builtin;
}
