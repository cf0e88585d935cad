/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SF_SELFTEST_H
#define _SF_SELFTEST_H

#ifdef DEBUG
int sf_chain_selftest(void);
int sf_flow_selftest(void);
int sf_classify_selftest(void);

/* Runs at load; a failing self-test blocks the load. */
static inline int sf_selftests(void)
{
	return sf_chain_selftest() ?: sf_flow_selftest() ?:
	       sf_classify_selftest();
}
#else
static inline int sf_selftests(void)
{
	return 0;
}
#endif

#endif /* _SF_SELFTEST_H */
