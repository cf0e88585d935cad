/* SPDX-License-Identifier: GPL-2.0 */
/*
 * classify.h - the classtypes of rules: their description (an alert's
 * "category") and default priority (its "severity"), as in Suricata's
 * classification.config
 */
#ifndef IPS_CLASSIFY_H
#define IPS_CLASSIFY_H

struct ips_class {
	const char *name;
	const char *desc;
	unsigned int priority;
};

const struct ips_class *ips_class_find(const char *name);

#endif /* IPS_CLASSIFY_H */
