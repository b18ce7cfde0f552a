/*
 * lexicon.h - the names Transfer Radar knows: clubs, outlets, journalists,
 * positions, nationalities, roles and the trigger phrases of each rumour stage,
 * and the word classes its passes test around them (words.txt).
 *
 * Lexicon files are plain text, one entity per line:
 *     canonical|alias|alias|key=value
 * A field with '=' is an attribute; a leading '~' marks an ambiguous alias.
 * Case, accents, hyphens and full stops do not matter when matching.
 * The built-in lexicon (data/lexicon/ at build time) is compiled into the
 * binary; users add their own directory of files with radar_lexicon_load_dir.
 */
#ifndef RADAR_LEXICON_H
#define RADAR_LEXICON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct radar_lexicon radar_lexicon;

typedef enum radar_entity_kind {
    RADAR_KIND_CLUB = 0,
    RADAR_KIND_OUTLET,
    RADAR_KIND_JOURNALIST,
    RADAR_KIND_POSITION,
    RADAR_KIND_NATIONALITY,
    RADAR_KIND_TRIGGER,
    RADAR_KIND_ROLE,   /* words naming a non-player role: manager, agent, ... */
    RADAR_KIND_COMMON, /* capitalised words that are not names */
    RADAR_KIND_PERSON, /* people who are not players: managers, directors, agents, pundits */
    RADAR_KIND_COUNT
} radar_entity_kind;

/* A new lexicon holding the built-in data. Caller frees with
 * radar_lexicon_free. RADAR_EFORMAT if the built-in words file lacks a word
 * class the extractor tests. */
int radar_lexicon_new_builtin(radar_lexicon **out);

/* A new empty lexicon. Caller frees with radar_lexicon_free. */
int radar_lexicon_new(radar_lexicon **out);

/* Add one file's text, of the given kind. `name` is used in error messages and,
 * for clubs, its base name gives the country ("italy.txt" -> "Italy").
 * On a malformed line returns RADAR_EFORMAT with the line in the last error. */
int radar_lexicon_add_text(radar_lexicon *lex, radar_entity_kind kind, const char *name, const char *text,
                           size_t len);

/* Add the word classes of a words file's text (data/lexicon/words.txt): lines
 * "class: word|word|...", '#' comments. The words are added to the classes
 * named, so that a user's file extends the built-in one. A class name the
 * extractor does not know, a class with no words or an entry that is not one
 * word ("team-mate" is three tokens) is RADAR_EFORMAT with the file and line
 * in the last error. */
int radar_lexicon_add_words(radar_lexicon *lex, const char *name, const char *text, size_t len);

/* Add every file of a directory laid out like data/lexicon/ (clubs/NAME.txt,
 * outlets.txt, journalists.txt, positions.txt, nationalities.txt,
 * triggers.txt, cues.txt, roles.txt, common_words.txt, competitions.txt,
 * words.txt, people.txt). Unknown files are ignored. */
int radar_lexicon_load_dir(radar_lexicon *lex, const char *dir);

/* Number of entities of a kind. */
size_t radar_lexicon_count(const radar_lexicon *lex, radar_entity_kind kind);

/* Free a lexicon; NULL is a no-op. */
void radar_lexicon_free(radar_lexicon *lex);

#ifdef __cplusplus
}
#endif
#endif
