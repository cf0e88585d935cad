/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slotctl.h - what slotctl's files share
 */
#ifndef SLOTCTL_H
#define SLOTCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

#define PROG_NAME	"slotctl"

/* Global options; -j and -p live in the print layer. */
struct slotctl_opts {
	bool stats;
};

/*
 * One entry of a dispatch table: an object (slotctl.c) or one of its
 * commands. @fn gets the words after @name.
 */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, const struct slotctl_opts *opts);
	void (*usage)(FILE *fp);	/* objects only */
};

/* args.c: command line words and diagnostics */
void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void set_usage(void (*usage)(FILE *fp));
void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
void missing_arg(const char *keyword) __attribute__((noreturn));
void dup_arg(const char *keyword) __attribute__((noreturn));
void no_more_args(int argc, char **argv);
const struct cmd *find_cmd(const struct cmd *cmds, const char *name);
int run_cmd(const struct cmd *cmds, const char *object, int argc,
	    char **argv, const struct slotctl_opts *opts);
bool ifname_valid(const char *name);
const char *check_ifname(const char *name);
unsigned int get_ifindex(const char *name);

/* Step to the value of the keyword at *argv; the caller's argc, argv. */
#define NEXT_ARG()					\
	do {						\
		argv++;					\
		if (--argc <= 0)			\
			missing_arg(argv[-1]);		\
	} while (0)

/* words.c: values of words, shared by the command line and files */
struct parse_err {
	int word;		/* the word at fault; the word count: at the end */
	unsigned int off;	/* bytes into that word */
	bool not_found;		/* a device that does not exist */
	char msg[256];
};

int parse_errf(struct parse_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int word_u32(const char *w, const char *what, uint32_t min, uint32_t max,
	     uint32_t *v, struct parse_err *e);
bool name_valid(const char *s);
int word_name(const char *w, const char *what, struct parse_err *e);
int word_choice(const char *w, const char *what, const char *const *choices,
		struct parse_err *e);
struct sf_set;
int word_prefixes(const char *w, struct sf_set *set, struct parse_err *e);
void cli_parse_error(const struct parse_err *e) __attribute__((noreturn));
const char *take_placement(int *argc, char **argv, uint32_t *anchor);
void rule_words_error(int argc, char **argv, const struct parse_err *e)
	__attribute__((noreturn));

/* rule.c: the words of a rule */
struct sf_rule;

/*
 * How rule_parse() checks names against the system; NULL: not checked.
 * Each gets the name and where it is: word index, bytes into the word.
 */
struct rule_env {
	/* the device's ifindex, 0 if there is none */
	unsigned int (*ifindex)(const char *name, int word, unsigned int off,
				void *ctx);
	/* whether there is (or will be) such a set */
	bool (*set_known)(const char *name, int word, unsigned int off,
			  void *ctx);
	void *ctx;
	/* whether there is (or will be) such a service */
	bool (*service_known)(const char *name, int word, unsigned int off,
			      void *ctx);
};

int rule_parse(struct sf_rule *rule, int argc, char **argv,
	       const struct rule_env *env, struct parse_err *e);
int redirect_parse(struct sf_rule *rule, int argc, char **argv,
		   const struct rule_env *env, struct parse_err *e);
void rule_write(FILE *fp, const struct sf_rule *rule,
		const char *(*ifname)(uint32_t ifindex, char *buf));
const char *ifindex_name(uint32_t ifindex, char *buf);

/* settings.c: the firewall's settings as words */
struct sf_fw;

/* What setting_parse() read: a file may give each only once. */
enum setting {
	SETTING_DEFAULT,
	SETTING_FLOW_MAX,
	SETTING_OPTION,					/* + option */
	SETTING_TIMEOUT = SETTING_OPTION + 3,		/* + timeout */
	SETTING_COUNT = SETTING_TIMEOUT + SLOTFILTER_TIMEOUT_MAX + 1,
};

int setting_parse(int argc, char **argv, struct sf_fw *fw,
		  struct parse_err *e);
void setting_write(FILE *fp, const char *prefix, const struct sf_fw *fw);
const char *setting_option_word(const struct sf_fw *fw, unsigned int i);

/* session.c: the netlink session with the kernel */
struct nlmsghdr *slotctl_request(uint8_t cmd, uint16_t flags);
struct nlmsghdr *slotctl_request_big(uint8_t cmd, uint16_t flags,
				     size_t size);
int slotctl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int slotctl_try(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int slotctl_report(int err);
int slotctl_join(const char *group);
int slotctl_recv(mnl_cb_t cb, void *data);
int slotctl_fd(void);
long slotctl_ext_offs(void);
void slotctl_close(void);

/* ruleset.c: what the kernel holds, read and written back */
struct sf_ruleset;
struct sf_sets;
struct sf_port;

int ruleset_read(struct sf_ruleset *rs);
int ruleset_commit(struct sf_ruleset *rs, long *bad_rule, long *bad_redirect);
int sets_read(struct sf_sets *sets, const char *name);
struct sf_services;
int services_read(struct sf_services *svcs, const char *name);
int ports_read(struct sf_port **ports, size_t *n);

/* port.c */
int do_port(int argc, char **argv, const struct slotctl_opts *opts);
void port_usage(FILE *fp);
void port_print(const struct sf_port *port, bool stats);

/* fw.c, fwshow.c, fwrule.c, fwset.c, flows.c */
struct sf_flow;

int do_fw(int argc, char **argv, const struct slotctl_opts *opts);
void fw_usage(FILE *fp);
int fw_show(int argc, char **argv, const struct slotctl_opts *opts);
int fw_rule(int argc, char **argv, const struct slotctl_opts *opts);
int fw_set(int argc, char **argv, const struct slotctl_opts *opts);
int fw_flows(int argc, char **argv, const struct slotctl_opts *opts);
void fw_print(const struct sf_ruleset *rs, bool stats);
void rules_print(const struct sf_ruleset *rs, const char *key, bool stats);
void rule_print(const struct sf_rule *rule, bool stats);
int fw_rule_show(int argc, char **argv, const struct slotctl_opts *opts);
void set_print(const struct sf_set *set);
void flow_print(const struct sf_flow *flow);
void tuple_print(const struct sf_flow *flow);
void dev_print(uint32_t ifindex);
struct nlmsghdr *set_request(uint8_t cmd, const struct sf_set *set);

/* service.c, svcwords.c, redirect.c */
struct sf_service;
struct sf_rule_list;

int do_service(int argc, char **argv, const struct slotctl_opts *opts);
void service_usage(FILE *fp);
void service_print(const struct sf_service *svc, bool stats);
void services_print(const struct sf_services *svcs, bool stats);
int service_parse(int argc, char **argv, struct sf_service *svc,
		  struct parse_err *e);
void service_write(FILE *fp, const struct sf_service *svc);
int do_redirect(int argc, char **argv, const struct slotctl_opts *opts);
void redirect_usage(FILE *fp);
size_t *redirects_order(const struct sf_rule_list *l,
			const struct sf_services *svcs);
void redirects_sort(struct sf_rule_list *l, const struct sf_services *svcs);
void redirects_print(const struct sf_rule_list *l, const char *service,
		     bool stats);

/* monitor.c */
struct monitor {
	unsigned long seen, count;	/* events printed; to print, 0: all */
};

int do_monitor(int argc, char **argv, const struct slotctl_opts *opts);
void monitor_usage(FILE *fp);
void event_print(const struct sf_flow *event);
int monitor_msg(const struct nlmsghdr *nlh, void *data);

/* apply.c, config.c, save.c: the configuration file */
int do_apply(int argc, char **argv, const struct slotctl_opts *opts);
void apply_usage(FILE *fp);
int do_save(int argc, char **argv, const struct slotctl_opts *opts);
void save_usage(FILE *fp);
void save_write(FILE *fp, const struct sf_port *ports, size_t n_ports,
		const struct sf_sets *sets, const struct sf_services *svcs,
		const struct sf_ruleset *rs,
		const char *(*ifname)(uint32_t ifindex, char *buf));

#endif /* SLOTCTL_H */
