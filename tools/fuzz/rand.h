/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rand.h - xoshiro256** seeded through splitmix64: one stream per thread,
 * derived from the run's seed and the thread's number. A seed replays each
 * thread's choices, not the interleaving of the threads nor the kernel's
 * state they meet (ifindexes, names accepted earlier): the bytes of the
 * request printed with a failure are what reproduces it.
 */
#ifndef SF_FUZZ_RAND_H
#define SF_FUZZ_RAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fz_rand {
	uint64_t s[4];
};

static inline uint64_t fz_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void fz_rand_init(struct fz_rand *r, uint64_t seed,
				unsigned int stream)
{
	uint64_t x = seed ^ ((uint64_t)stream << 56 | stream);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = fz_splitmix(&x);
}

static inline uint64_t fz_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t fz_rand64(struct fz_rand *r)
{
	uint64_t *s = r->s;
	uint64_t result = fz_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = fz_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n > 0 (the bias of the modulo does not matter here). */
static inline uint32_t fz_below(struct fz_rand *r, uint32_t n)
{
	return (uint32_t)((fz_rand64(r) >> 32) * n >> 32);
}

static inline bool fz_chance(struct fz_rand *r, unsigned int percent)
{
	return fz_below(r, 100) < percent;
}

static inline void fz_fill(struct fz_rand *r, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = (uint8_t)fz_rand64(r);
}

#endif /* SF_FUZZ_RAND_H */
