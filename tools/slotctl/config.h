/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h - a configuration file for "slotctl apply", parsed
 */
#ifndef SLOTCTL_CONFIG_H
#define SLOTCTL_CONFIG_H

#include <net/if.h>
#include <stdio.h>

#include "fwmsg.h"
#include "slotctl.h"
#include "svcmsg.h"

/* Where a word is: line and column, both from 1. */
struct cfg_pos {
	unsigned int line, col;
};

/* A "port" line. */
struct cfg_port {
	char name[IF_NAMESIZE];
	unsigned int ifindex;
	struct cfg_pos pos;		/* of the name */
	unsigned int n_tags;
	char tags[SLOTFILTER_PORT_TAGS_MAX][SLOTFILTER_NAME_MAX];
};

/* A reference to check once the whole file is read. */
struct cfg_ref {
	char name[SLOTFILTER_NAME_MAX];	/* a set's or a device's */
	unsigned int ifindex;
	struct cfg_pos pos;
};

struct cfg_err {
	struct cfg_pos pos;
	size_t seq;			/* errors at one place keep their order */
	char *msg;
};

struct config {
	const char *file;
	struct cfg_port *ports;
	size_t n_ports, cap_ports;
	struct sf_sets sets;		/* elements sorted (sf_set_sort()) */
	struct cfg_pos *set_pos;	/* by set: its name */
	size_t cap_set_pos;
	struct sf_ruleset rs;		/* the firewall: settings, rules */
	struct cfg_pos *rule_pos;	/* by rule: its id */
	size_t cap_rule_pos;
	unsigned int setting_line[SETTING_COUNT];	/* 0: not given */
	struct sf_services svcs;		/* options not given: defaults */
	struct cfg_pos *svc_pos;	/* by service: its name */
	size_t cap_svc_pos;
	struct cfg_pos *svc_slot_pos;	/* by service: its slot's value */
	size_t cap_svc_slot_pos;
	struct cfg_pos *red_pos;	/* by redirect rule: its id */
	size_t cap_red_pos;		/* (the rules: rs.redirects) */
	struct cfg_ref *set_refs, *port_refs, *svc_refs;
	size_t n_set_refs, n_port_refs, cap_set_refs, cap_port_refs;
	size_t n_svc_refs, cap_svc_refs;
	struct cfg_err *errs;
	size_t n_errs, cap_errs;
};

/*
 * What the file is checked against. Each may be NULL (not checked);
 * all but ifindex are asked only after the whole file is read.
 */
struct config_env {
	unsigned int (*ifindex)(const char *name, void *ctx);	/* 0: none */
	bool (*set_exists)(const char *name, void *ctx);	/* in the kernel */
	bool (*is_port)(unsigned int ifindex, void *ctx);	/* attached */
	void *ctx;
	bool (*service_exists)(const char *name, void *ctx);	/* in the kernel */
};

size_t config_parse(struct config *cfg, const char *file, char *text,
		    size_t len, const struct config_env *env);
void config_print_errors(const struct config *cfg, FILE *fp);
bool config_timeouts_complete(const struct config *cfg);
bool config_set_used(const struct config *cfg, const char *name);
bool config_service_used(const struct config *cfg, const char *name);
void config_free(struct config *cfg);

#endif /* SLOTCTL_CONFIG_H */
