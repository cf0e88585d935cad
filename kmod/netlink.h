/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SF_NETLINK_H
#define _SF_NETLINK_H

#include <net/genetlink.h>
#include <linux/slotfilter.h>

extern const struct nla_policy sf_addr_policy[SLOTFILTER_ADDR_A_MAX + 1];
extern const struct nla_policy sf_range_policy[SLOTFILTER_RANGE_A_MAX + 1];
extern const struct nla_policy sf_rule_policy[SLOTFILTER_RULE_A_MAX + 1];
extern const struct nla_policy sf_redirect_policy[SLOTFILTER_RULE_A_MAX + 1];
extern const struct nla_policy sf_verdict_policy[SLOTFILTER_VERDICT_A_MAX + 1];

void *sf_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		  u8 cmd);
void *sf_genl_event_put(struct sk_buff *skb, u8 cmd);
void sf_genl_event(struct net *net, struct sk_buff *skb);
int sf_genl_unicast(struct net *net, struct sk_buff *skb, u32 portid);

/* fwnl.c */
int sf_nl_fw_replace(struct sk_buff *skb, struct genl_info *info);
int sf_nl_fw_get(struct sk_buff *skb, struct genl_info *info);
int sf_nl_fw_dump(struct sk_buff *skb, struct netlink_callback *cb);
int sf_nl_fw_reset(struct sk_buff *skb, struct genl_info *info);
int sf_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb);
int sf_nl_set_add(struct sk_buff *skb, struct genl_info *info);
int sf_nl_set_del(struct sk_buff *skb, struct genl_info *info);
int sf_nl_set_elem_add(struct sk_buff *skb, struct genl_info *info);
int sf_nl_set_elem_del(struct sk_buff *skb, struct genl_info *info);
int sf_nl_set_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* svcnl.c */
int sf_nl_service_add(struct sk_buff *skb, struct genl_info *info);
int sf_nl_service_set(struct sk_buff *skb, struct genl_info *info);
int sf_nl_service_del(struct sk_buff *skb, struct genl_info *info);
int sf_nl_service_get(struct sk_buff *skb, struct genl_info *info);
int sf_nl_service_dump(struct sk_buff *skb, struct netlink_callback *cb);
int sf_nl_service_bind(struct sk_buff *skb, struct genl_info *info);
int sf_nl_service_health(struct sk_buff *skb, struct genl_info *info);
int sf_nl_verdict(struct sk_buff *skb, struct genl_info *info);
int sf_nl_service_alert(struct sk_buff *skb, struct genl_info *info);

int sf_genl_init(void);
void sf_genl_exit(void);

#endif /* _SF_NETLINK_H */
