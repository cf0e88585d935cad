// SPDX-License-Identifier: GPL-2.0
/*
 * kmsg.c - the messages slotd and the kernel exchange for a service:
 * PACKET decoded, VERDICT built (the sockets are kernel.c's)
 *
 * Numbers in PACKET are read by their length (1, 2, 4 or 8 bytes), so a
 * kernel that widens one stays readable; strings must be NUL-terminated
 * within their limits; a message that breaks a rule is dropped whole.
 */
#include <errno.h>
#include <string.h>

#include <linux/slotfilter.h>

#include "kmsg.h"

#ifdef SD_KERNEL_SERVICES

#include "attr.h"

static const struct sfnl_policy packet_policy[SLOTFILTER_PACKET_A_MAX + 1] = {
	/* Numbers are read by their length (1, 2, 4 or 8 bytes). */
	[SLOTFILTER_PACKET_A_ID]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_IFINDEX]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_IFNAME]	 = { MNL_TYPE_NUL_STRING, SLOTSVC_IFNAME_MAX },
	[SLOTFILTER_PACKET_A_TAGS]	 = { MNL_TYPE_NESTED, 0 },
	[SLOTFILTER_PACKET_A_DIRECTION]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_SLOT]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_SERVICE]	 = { MNL_TYPE_NUL_STRING, SLOTSVC_NAME_MAX },
	[SLOTFILTER_PACKET_A_RULE_ID]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_FLOW_ID]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_L3PROTO]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_LENGTH]	 = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_GENERATION] = { MNL_TYPE_BINARY, 8 },
	[SLOTFILTER_PACKET_A_PAYLOAD]	 = { MNL_TYPE_BINARY, 0 },
};

static bool get_uint(const struct nlattr *a, uint64_t *v)
{
	const void *p = mnl_attr_get_payload(a);
	uint16_t u16;
	uint32_t u32;

	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		*v = *(const uint8_t *)p;
		return true;
	case 2:
		memcpy(&u16, p, 2);
		*v = u16;
		return true;
	case 4:
		memcpy(&u32, p, 4);
		*v = u32;
		return true;
	case 8:
		memcpy(v, p, 8);
		return true;
	}
	return false;
}

/* Decode one PACKET message into @pkt; -EBADMSG if it is malformed. */
int sd_kmsg_packet(const struct nlmsghdr *nlh, struct sd_packet *pkt)
{
	const struct nlattr *tb[SLOTFILTER_PACKET_A_MAX + 1];
	const struct nlattr *tag;
	uint64_t v[SLOTFILTER_PACKET_A_MAX + 1] = { 0 };
	unsigned int i;

	if (sfnl_parse_genl(nlh, packet_policy, SLOTFILTER_PACKET_A_MAX, tb) ||
	    !tb[SLOTFILTER_PACKET_A_ID] || !tb[SLOTFILTER_PACKET_A_PAYLOAD])
		return -EBADMSG;
	for (i = 1; i <= SLOTFILTER_PACKET_A_MAX; i++) {
		if (tb[i] && packet_policy[i].type == MNL_TYPE_BINARY &&
		    packet_policy[i].max_len == 8 && !get_uint(tb[i], &v[i]))
			return -EBADMSG;
	}
	memset(pkt, 0, sizeof(*pkt));
	pkt->id = v[SLOTFILTER_PACKET_A_ID];
	pkt->flow_id = v[SLOTFILTER_PACKET_A_FLOW_ID];
	pkt->ifindex = v[SLOTFILTER_PACKET_A_IFINDEX];
	pkt->rule_id = v[SLOTFILTER_PACKET_A_RULE_ID];
	pkt->orig_len = v[SLOTFILTER_PACKET_A_LENGTH];
	pkt->generation = v[SLOTFILTER_PACKET_A_GENERATION];
	pkt->l3proto = v[SLOTFILTER_PACKET_A_L3PROTO];
	pkt->dir = v[SLOTFILTER_PACKET_A_DIRECTION] == SLOTFILTER_DIR_EGRESS ?
		   SLOTSVC_DIR_EGRESS : SLOTSVC_DIR_INGRESS;
	pkt->slot = v[SLOTFILTER_PACKET_A_SLOT];
	pkt->ifname = tb[SLOTFILTER_PACKET_A_IFNAME] ?
		      mnl_attr_get_str(tb[SLOTFILTER_PACKET_A_IFNAME]) : "";
	pkt->service = tb[SLOTFILTER_PACKET_A_SERVICE] ?
		       mnl_attr_get_str(tb[SLOTFILTER_PACKET_A_SERVICE]) : "";
	if (tb[SLOTFILTER_PACKET_A_TAGS]) {
		mnl_attr_for_each_nested(tag, tb[SLOTFILTER_PACKET_A_TAGS]) {
			if (pkt->ntags == SLOTSVC_TAGS_MAX ||
			    mnl_attr_validate(tag, MNL_TYPE_NUL_STRING) ||
			    mnl_attr_get_payload_len(tag) > SLOTSVC_NAME_MAX)
				return -EBADMSG;
			pkt->tags[pkt->ntags++] = mnl_attr_get_str(tag);
		}
	}
	pkt->data = mnl_attr_get_payload(tb[SLOTFILTER_PACKET_A_PAYLOAD]);
	pkt->len = mnl_attr_get_payload_len(tb[SLOTFILTER_PACKET_A_PAYLOAD]);
	if (!pkt->orig_len)
		pkt->orig_len = pkt->len;
	return 0;
}

static const uint8_t verdict_codes[] = {
	[SD_V_CONTINUE]		= SLOTFILTER_VERDICT_CONTINUE,
	[SD_V_DROP]		= SLOTFILTER_VERDICT_DROP,
	[SD_V_CONTINUE_FLOW]	= SLOTFILTER_VERDICT_CONTINUE_FLOW,
	[SD_V_DROP_FLOW]	= SLOTFILTER_VERDICT_DROP_FLOW,
	[SD_V_REJECT]		= SLOTFILTER_VERDICT_REJECT,
	[SD_V_REJECT_FLOW]	= SLOTFILTER_VERDICT_REJECT_FLOW,
};

/*
 * Whether @nlh is a SERVICE_EVENT saying that @service was deleted (the
 * kernel tells the deleted service's helper too).
 */
bool sd_kmsg_deleted(const struct nlmsghdr *nlh, const char *service)
{
	static const struct sfnl_policy policy[SLOTFILTER_SERVICE_A_MAX + 1] = {
		[SLOTFILTER_SERVICE_A_NAME]  = { MNL_TYPE_NUL_STRING,
						 SLOTSVC_NAME_MAX },
		[SLOTFILTER_SERVICE_A_CAUSE] = { MNL_TYPE_U8, 0 },
	};
	const struct nlattr *tb[SLOTFILTER_SERVICE_A_MAX + 1];

	return !sfnl_parse_genl(nlh, policy, SLOTFILTER_SERVICE_A_MAX, tb) &&
	       tb[SLOTFILTER_SERVICE_A_NAME] && tb[SLOTFILTER_SERVICE_A_CAUSE] &&
	       mnl_attr_get_u8(tb[SLOTFILTER_SERVICE_A_CAUSE]) ==
	       SLOTFILTER_CAUSE_DELETED &&
	       !strcmp(mnl_attr_get_str(tb[SLOTFILTER_SERVICE_A_NAME]), service);
}

/* One entry at most: the nest, ID (u64), VERDICT (u8), PAYLOAD. */
size_t sd_kmsg_verdict_size(const struct sd_verdict *v)
{
	return MNL_ATTR_HDRLEN + MNL_ATTR_HDRLEN + 8 + MNL_ATTR_HDRLEN +
	       MNL_ALIGN(1) +
	       (v->repl ? MNL_ATTR_HDRLEN + MNL_ALIGN(v->repl_len) : 0);
}

/* Fill a VERDICT request (header built) with @n verdicts for @service. */
void sd_kmsg_verdicts(struct nlmsghdr *nlh, const char *service,
		      const struct sd_verdict *v, unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	mnl_attr_put_strz(nlh, SLOTFILTER_SERVICE_A_NAME, service);
	for (i = 0; i < n; i++) {
		nest = mnl_attr_nest_start(nlh, SLOTFILTER_SERVICE_A_VERDICT);
		mnl_attr_put_u64(nlh, SLOTFILTER_VERDICT_A_ID, v[i].id);
		mnl_attr_put_u8(nlh, SLOTFILTER_VERDICT_A_VERDICT,
				verdict_codes[v[i].verdict]);
		if (v[i].repl)
			mnl_attr_put(nlh, SLOTFILTER_VERDICT_A_PAYLOAD,
				     v[i].repl_len, v[i].repl);
		mnl_attr_nest_end(nlh, nest);
	}
}

#endif /* SD_KERNEL_SERVICES */
