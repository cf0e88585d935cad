/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h - the words slotfilter's enums are printed and parsed as
 *
 * Each *_name() returns the word for a value ("unknown" for one this
 * program does not know); each *_parse() returns the value of a word, or
 * -1 if it is not one of them.
 */
#ifndef SF_NAMES_H
#define SF_NAMES_H

const char *sf_dir_name(unsigned int dir);
const char *sf_filter_name(unsigned int kind);
const char *sf_action_name(unsigned int action);
const char *sf_rule_dir_name(unsigned int dir);
const char *sf_timeout_name(unsigned int timeout);
const char *sf_tcp_state_name(unsigned int state);
const char *sf_fail_name(unsigned int policy);
const char *sf_service_state_name(unsigned int state);
const char *sf_service_cause_name(unsigned int cause);
const char *sf_service_stat_name(unsigned int stat);

int sf_action_parse(const char *word);
int sf_rule_dir_parse(const char *word);
int sf_timeout_parse(const char *word);
int sf_fail_parse(const char *word);

/* IP protocols: a name for those rules name, NULL for the others. */
const char *sf_proto_name(unsigned int proto);
/* A protocol name or a number 0-255. */
int sf_proto_parse(const char *word);

#endif /* SF_NAMES_H */
