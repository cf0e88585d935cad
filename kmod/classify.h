/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SF_CLASSIFY_H
#define _SF_CLASSIFY_H

struct sf_ruleset;

int sf_classify_build(struct sf_ruleset *rs);
void sf_classify_free(struct sf_ruleset *rs);

#endif /* _SF_CLASSIFY_H */
