/*
 * date.c - civil dates (see date.h). The day number arithmetic is the
 * proleptic Gregorian calendar in 400-year eras, exact for every year.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radar/limits.h"
#include "date.h"

int radar_date_valid(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < RADAR_MIN_YEAR || y > RADAR_MAX_YEAR || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

long radar_day_number(const char *d)
{
    if (!d || !radar_date_valid(d, strlen(d) >= 10 ? 10 : strlen(d)))
        return -1;
    int y = atoi(d), m = atoi(d + 5), dd = atoi(d + 8);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void radar_civil_date(long day, char out[64])
{
    long z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 64, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}
