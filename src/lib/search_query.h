/*
 * search_query.h - a search as the user types it, made an FTS5 query.
 */
#ifndef RADAR_SEARCH_QUERY_H
#define RADAR_SEARCH_QUERY_H

/* The user's words as an FTS5 query in which nothing is syntax but what is
 * documented: every word must appear; "two words" is a phrase (a quote left
 * open runs to the end); -word or -"a phrase" leaves out the articles that
 * have it; word* (RADAR_MIN_SEARCH_PREFIX letters or more, checked later)
 * is a prefix. Every term goes to FTS5 quoted, so AND, OR, NOT, NEAR,
 * parentheses, colons and stray '*' or '^' are words or nothing. A term
 * with no letter or digit is left out. *out (caller frees) receives the
 * query. RADAR_EINVALID, with a sentence about the query, when nothing is
 * left to look for. */
int radar_search_translate(const char *query, char **out);

#endif
