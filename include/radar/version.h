/*
 * version.h - the version of Transfer Radar (the API's health answer, the
 * fetcher's User-Agent).
 */
#ifndef RADAR_VERSION_H
#define RADAR_VERSION_H

#define RADAR_VERSION "0.1.0"

#endif
