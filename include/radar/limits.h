/*
 * limits.h - every maximum Transfer Radar enforces, in one place.
 *
 * Input is untrusted: readers check these before allocating, so an oversized
 * line or file is refused with a message instead of exhausting memory.
 */
#ifndef RADAR_LIMITS_H
#define RADAR_LIMITS_H

/* Largest article body (and largest JSON Lines line) we process. */
#define RADAR_MAX_ARTICLE_BYTES (16u * 1024u * 1024u)

/* Largest lexicon file, and longest alias in tokens. */
#define RADAR_MAX_LEXICON_FILE (8u * 1024u * 1024u)
#define RADAR_MAX_ALIAS_TOKENS 8
/* Modifier words a stage phrase may hold beyond its listed words ("completed
 * his 20m move to"), enough for a determiner,
 * an adjective and a figure, too few to reach across a clause. */
#define RADAR_MAX_TRIGGER_SLACK 4
/* Longest word of a word class (words.txt), in bytes. */
#define RADAR_MAX_WORD_BYTES 64u

/* Text taken from one feed or HTML page, counted as it is gathered: the bytes
 * of every text node read plus one for every entity reference expanded. A
 * document's own text is never larger than the document (at most
 * RADAR_MAX_ARTICLE_BYTES), so only entity amplification reaches this: one
 * entity of 50,000 characters referenced 50,000 times in a 200 KB feed, or
 * empty entities nested a billion references deep. Past it the document is
 * refused. */
#define RADAR_MAX_DOC_TEXT_BYTES (16u * 1024u * 1024u)

/* Years a date may have (radar_date_valid): others are typing slips. */
#define RADAR_MIN_YEAR 1800
#define RADAR_MAX_YEAR 2200

/* A limit's value as a string literal, for messages. */
#define RADAR_STR_(x) #x
#define RADAR_STR(x) RADAR_STR_(x)

/* Longest id, date, source, title or url field we keep (bytes). */
#define RADAR_MAX_FIELD_BYTES 4096u

/* Per-article caps on what extraction records; the rest is dropped. */
#define RADAR_MAX_TOKENS_PER_ARTICLE (4u * 1024u * 1024u)
#define RADAR_MAX_RUMOURS_PER_ARTICLE 256u

/* The learned decisions: (person, club) pairs looked at in one sentence, the
 * sentences of one pair whose words become features, and the largest model
 * file read. */
#define RADAR_MAX_PAIRS_PER_SENTENCE 64u
#define RADAR_MAX_COOC_FEATURED 16u
/* Names of a list ("X, Y and Z") that the pair features place where the list
 * is: a longer run of names is a squad or a line-up, not players one verb moves. */
#define RADAR_MAX_LISTED_NAMES 5u
/* Clubs the article's title names, as features of the pairs of its text. */
#define RADAR_MAX_TITLE_CLUBS 8u
/* Bytes of an article's title read for those features. */
#define RADAR_MAX_TITLE_READ 512u
#define RADAR_MAX_MODEL_FILE (64u * 1024u * 1024u)
/* Knots of a likelihood model's calibration. */
#define RADAR_MAX_CALIBRATION_KNOTS 1024u
/* Folds of the cross-fitting that trains the second pass of the learned decisions. */
#define RADAR_TRAIN_INNER_FOLDS 5
/* An article of at most this many sentences is a short item (a gossip line,
 * a post); the learned decisions weigh some evidence apart for the two kinds. */
#define RADAR_SHORT_ITEM_SENTENCES 6

/* Largest feed or page `radar watch` downloads; a bigger response is refused
 * as soon as its size is known. */
#define RADAR_MAX_FETCH_BYTES (10u * 1024u * 1024u)

/* How long a store handle waits for another connection's lock before giving
 * up: a writer waits out other writers' batches, closing rescores and index
 * builds (minutes on a large store); a reader of the write-ahead log seldom
 * waits at all. */
#define RADAR_STORE_WRITE_WAIT_MS (10L * 60L * 1000L)
#define RADAR_STORE_READ_WAIT_MS (5L * 1000L)

/* radar watch: feeds polled at once, and the default bound on one feed's
 * poll (the feed and its items' pages together; --deadline); the pages of
 * the items left when it passes are fetched at the next poll. */
#define RADAR_WATCH_THREADS 4
#define RADAR_WATCH_FEED_DEADLINE_MS (2L * 60L * 1000L)

/* Worker threads for --jobs. */
#define RADAR_MAX_JOBS 256

/* radar serve: a request target (path and query) longer than this, a
 * decoded path segment or parameter value longer than RADAR_MAX_HTTP_VALUE,
 * more parameters than RADAR_MAX_HTTP_PARAMS or a body larger than
 * RADAR_MAX_HTTP_BODY is refused with 413; the request headers together are
 * held to RADAR_MAX_HTTP_HEADERS by the HTTP library itself. */
#define RADAR_MAX_HTTP_TARGET 4096u
#define RADAR_MAX_HTTP_VALUE 512u
#define RADAR_MAX_HTTP_PARAMS 16
#define RADAR_MAX_HTTP_BODY 1024u
#define RADAR_MAX_HTTP_HEADERS (32u * 1024u)
/* Connections served at once, and request threads. */
#define RADAR_MAX_HTTP_CONNECTIONS 1024
#define RADAR_MAX_HTTP_THREADS 64
/* Largest page of stories (limit) and deepest offset the API accepts. */
#define RADAR_MAX_PAGE_LIMIT 200
#define RADAR_MAX_PAGE_OFFSET 100000
#define RADAR_MAX_SEARCH_LIMIT 100

/* Full-text search (radar search, /api/search): a query of more than
 * RADAR_MAX_SEARCH_TERMS words (each word of a phrase counts), or with a
 * prefix term shorter than RADAR_MIN_SEARCH_PREFIX letters ("a*", "ab*":
 * each merges the postings of every indexed word it begins), is refused
 * before it runs; a search still running after RADAR_MAX_SEARCH_MS is
 * stopped. Without these, 170 one-letter prefixes kept a core busy for 12 s
 * on 16,000 articles. */
#define RADAR_MAX_SEARCH_TERMS 16
#define RADAR_MIN_SEARCH_PREFIX 3
#define RADAR_MAX_SEARCH_MS 2000
/* Bytes of a word's folded form in the full-text index (a longer word is
 * indexed, and looked for, by its first ones): the index's tokenizer folds
 * into a buffer of this size on its stack, with no allocation per word. */
#define RADAR_MAX_SEARCH_TOKEN 256
/* radar serve --allow-host: names accepted in the Host header besides the
 * listening address and localhost, and the longest. */
#define RADAR_MAX_HTTP_ALLOW_HOSTS 16
#define RADAR_MAX_HTTP_HOST_NAME 255

/* The rumour store. A name is compared with at most
 * RADAR_MAX_PLAYERS_PER_KEY stored players of the same full name and, when
 * none fits, RADAR_MAX_PLAYERS_PER_SURNAME of its surname (the first stored):
 * past them a new first name makes a new player, so a surname shared by
 * thousands of stored players costs a bounded scan per mention. An outcome
 * row or a typed name stands for at most RADAR_MAX_NAMESAKES players. */
#define RADAR_MAX_PLAYERS_PER_KEY 50
#define RADAR_MAX_PLAYERS_PER_SURNAME 200
#define RADAR_MAX_NAMESAKES 8
/* What one question lists at most: players matching a typed name, a club's
 * stories each way and its facts, the sources, one source's stories. */
#define RADAR_MAX_PLAYERS_LISTED 20
#define RADAR_MAX_CLUB_STORIES 200
#define RADAR_MAX_CLUB_FACTS 200
#define RADAR_MAX_SOURCES_LISTED 1000
#define RADAR_MAX_SOURCE_STORIES 500
/* The text of the reason a story's status rests on, kept for its likelihood's explanation. */
#define RADAR_MAX_REASON 512
/* The distinct origins one story episode counts for its likelihood. */
#define RADAR_MAX_EPISODE_ORIGINS 64
/* The latest reports of a story episode whose wording its likelihood reads
 * (the latest one: how things stand now), and the bytes of a sentence read. */
#define RADAR_MAX_WORDING_REPORTS 1
#define RADAR_MAX_WORDING_BYTES 4096
/* The phrases of each list of data/lexicon/wording.txt, and the bytes of a
 * phrase (with its terminating NUL). */
#define RADAR_MAX_WORDING_PHRASES 256
#define RADAR_MAX_WORDING_PHRASE 48
/* Syndication: the newest articles read for each hash of a text's sketch,
 * and the memory a store handle keeps the sketches of what it stored in (64
 * MB, those of some 300,000 articles; past it the database answers). */
#define RADAR_SYNDICATION_POSTINGS 16
#define RADAR_MAX_PRINTS_MEMORY (64u << 20)
/* Ingest: articles committed in one transaction, and articles read and
 * extracted ahead of the store on the reading thread. */
#define RADAR_INGEST_BATCH 2048
#define RADAR_INGEST_AHEAD 16
/* Largest outcomes CSV file read. */
#define RADAR_MAX_OUTCOMES_FILE (64u << 20)
/* CSV: fields in one record (the registry's players.csv has 23). */
#define RADAR_MAX_CSV_FIELDS 64u
/* Largest registry CSV file read (players.csv, clubs.csv, transfers.csv, registry.csv). */
#define RADAR_MAX_REGISTRY_FILE (256u << 20)
/* Registry players weighed as one stored player's match (those of his surname). */
#define RADAR_MAX_REGISTRY_CANDIDATES 64
/* Path segments of an HTTP request target ("/api/stories/7": three). */
#define RADAR_MAX_HTTP_SEGMENTS 8
/* The largest --limit and --offset the CLI's questions take, and radar
 * outcomes'. */
#define RADAR_MAX_QUERY_ROWS 100000
#define RADAR_MAX_OUTCOMES_ROWS 1000000
/* The longest a radar watch --deadline may give one feed's poll (a day). */
#define RADAR_MAX_WATCH_DEADLINE_MS (24LL * 3600 * 1000)
/* The most shards radar watch --shard K/N splits the feeds into. */
#define RADAR_MAX_WATCH_SHARDS 1000
/* The longest name a feed is given (radar feeds add --name), in bytes. */
#define RADAR_MAX_FEED_NAME 200
/* Follows: clubs and players followed at most, and a followed name's length. */
#define RADAR_MAX_FOLLOWS 1000
#define RADAR_MAX_FOLLOW_NAME 200
/* Alerts: a webhook POST is tried this many times, waiting RADAR_ALERT_RETRY_MS,
 * then twice that, between tries, each try within RADAR_ALERT_TIMEOUT_MS; an
 * --exec command is killed after RADAR_ALERT_TIMEOUT_MS. Changes told per
 * ingest or poll at most (the rest are remembered as told, and counted). */
#define RADAR_ALERT_ATTEMPTS 3
#define RADAR_ALERT_RETRY_MS 1000L
#define RADAR_ALERT_TIMEOUT_MS 10000L
#define RADAR_MAX_ALERTS 1000
/* Undated articles an ingest names in its summary (the rest are counted). */
#define RADAR_MAX_UNDATED_NAMED 3
/* Atom feeds served: entries per feed. */
#define RADAR_MAX_FEED_ENTRIES 50

#endif
