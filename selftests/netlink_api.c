// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink API of slotfilter (uapi/linux/slotfilter.h), spoken
 * raw: every request is built by hand and every answer is checked exactly,
 * the errno together with the extended ack (its message, the offset of the
 * attribute it blames, the type of a missing one).
 *
 * Each test runs in a network namespace of its own (see sfnl_test.h).
 *
 * The module must be loadable: resolving the family loads it, and a family
 * that cannot be resolved fails every test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/slotfilter.h>

/* The 6.1 harness has a signal handler with an unused parameter. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#include "sfnl_ports.h"

#define SF_MANY_PORTS	300

/* ---- the system around ---------------------------------------------------- */

/* A device's own counters, from /proc/net/dev of the current namespace. */
struct sf_devstats {
	int64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
};

static int sf_devstats(const char *dev, struct sf_devstats *st)
{
	FILE *f = fopen("/proc/self/net/dev", "r");
	char line[512];
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		char *name = line;

		if (!colon)
			continue;
		*colon = '\0';
		name += strspn(name, " ");
		if (strcmp(name, dev))
			continue;
		/* rx: bytes packets errs drop fifo frame compressed
		 * multicast, then tx: bytes packets ...
		 */
		found = sscanf(colon + 1, "%" SCNd64 " %" SCNd64
			       " %*u %*u %*u %*u %*u %*u %" SCNd64 " %" SCNd64,
			       &st->rx_bytes, &st->rx_packets,
			       &st->tx_bytes, &st->tx_packets) == 4;
	}
	fclose(f);
	return found ? 0 : -1;
}

/* ---- the tests ----------------------------------------------------------- */

FIXTURE(sf) {
	struct sf_sock sk;
	int netns;		/* the test's own namespace */
};

FIXTURE_SETUP(sf)
{
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	self->netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->netns);
	err = sf_open(&self->sk);
	ASSERT_EQ(0, err)
		TH_LOG("cannot resolve the family \"%s\": %s (is the module there?)",
		       SLOTFILTER_GENL_NAME, strerror(-err));
}

FIXTURE_TEARDOWN(sf)
{
	sf_close(&self->sk);
	if (self->netns > 0)
		close(self->netns);
}

/* The controller knows the family, its version and its commands. */
TEST_F(sf, family)
{
	const uint32_t caps = GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM |
			      GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP;
	struct sf_family f;
	struct sf_ack ack;
	uint32_t want;
	int i;

	ASSERT_EQ(0, sf_get_family(&self->sk, SLOTFILTER_GENL_NAME, &f, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_STREQ(SLOTFILTER_GENL_NAME, f.name);
	ASSERT_EQ(SLOTFILTER_GENL_VERSION, f.version);
	ASSERT_EQ(0, f.hdrsize);
	ASSERT_EQ(self->sk.family, f.id);
	/* Every command but the FW_LOG and SERVICE_EVENT events and PACKET
	 * has an op.
	 */
	ASSERT_EQ(SLOTFILTER_CMD_MAX - 3, f.nops);
	for (i = 0; i < f.nops; i++) {
		switch (f.op[i].cmd) {
		case SLOTFILTER_CMD_PORT_ADD:
		case SLOTFILTER_CMD_PORT_DEL:
		case SLOTFILTER_CMD_PORT_TAG:
		case SLOTFILTER_CMD_PORT_UNTAG:
		case SLOTFILTER_CMD_SET_ADD:
		case SLOTFILTER_CMD_SET_DEL:
		case SLOTFILTER_CMD_SET_ELEM_ADD:
		case SLOTFILTER_CMD_SET_ELEM_DEL:
		case SLOTFILTER_CMD_FW_REPLACE:
		case SLOTFILTER_CMD_FW_RESET:
		case SLOTFILTER_CMD_SERVICE_ADD:
		case SLOTFILTER_CMD_SERVICE_SET:
		case SLOTFILTER_CMD_SERVICE_DEL:
		case SLOTFILTER_CMD_SERVICE_BIND:
		case SLOTFILTER_CMD_SERVICE_HEALTH:
		case SLOTFILTER_CMD_VERDICT:
		case SLOTFILTER_CMD_SERVICE_ALERT:
			want = GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO;
			break;
		case SLOTFILTER_CMD_PORT_GET:
		case SLOTFILTER_CMD_FW_GET:
		case SLOTFILTER_CMD_SERVICE_GET:
			want = GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP;
			break;
		case SLOTFILTER_CMD_SET_GET:
		case SLOTFILTER_CMD_FLOW_GET:
			want = GENL_CMD_CAP_DUMP;
			break;
		default:
			want = 0;
			break;
		}
		ASSERT_NE(0U, want) TH_LOG("unknown command %u", f.op[i].cmd);
		ASSERT_EQ(want, f.op[i].flags & caps)
			TH_LOG("command %u", f.op[i].cmd);
	}
}

/* A new port: all slots empty, all counters zero, in both directions. */
TEST_F(sf, add_then_get)
{
	struct sf_port_info p;
	struct sf_ack ack;
	uint32_t ifindex;
	int d, i;

	ifindex = sf_dummy("sf0");
	ASSERT_NE(0U, ifindex);
	ASSERT_LT(0, sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex,
				 &ack, NULL));
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, ifindex,
				 &ack, &p));
	ASSERT_ACK(ack, 0, "");

	ASSERT_EQ(SLOTFILTER_CMD_PORT_GET, p.cmd);
	ASSERT_EQ(0, p.bad);
	ASSERT_EQ(ifindex, p.ifindex);
	ASSERT_STREQ("sf0", p.ifname);
	ASSERT_EQ(SLOTFILTER_DIR_COUNT, p.ndirs);
	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++) {
		const struct sf_dir_info *dir = &p.dir[d];

		ASSERT_EQ(d, dir->type);
		ASSERT_EQ(d, dir->direction);
		ASSERT_EQ(0, dir->packets);
		ASSERT_EQ(0, dir->bytes);
		ASSERT_EQ(0, dir->drops);
		ASSERT_EQ(0, dir->stolen);
		ASSERT_EQ(SLOTFILTER_NUM_SLOTS, dir->nslots);
		for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++) {
			const struct sf_slot_info *sl = &dir->slot[i];

			ASSERT_EQ(i, sl->type) TH_LOG("dir %d", d);
			ASSERT_EQ(i, sl->index) TH_LOG("dir %d", d);
			ASSERT_EQ(SLOTFILTER_FILTER_NONE, sl->filter);
			ASSERT_EQ(0, sl->packets);
			ASSERT_EQ(0, sl->bytes);
			ASSERT_EQ(0, sl->drops);
		}
	}
}

/* A deleted port is gone from doit and dump, and can be added again. */
TEST_F(sf, del)
{
	struct sf_ports ports;
	struct sf_ack ack;
	uint32_t ifindex;

	ifindex = sf_dummy("sf0");
	ASSERT_NE(0U, ifindex);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_DEL, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");

	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, ifindex, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	ASSERT_LT(0, sf_dump(&self->sk, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, ports.n);
	free(ports.v);

	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
}

TEST_F(sf, add_no_such_device)
{
	struct sf_ack ack;

	ASSERT_LT(0, sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, 999999,
				 &ack, NULL));
	ASSERT_ACK(ack, ENODEV,
		   "slotfilter: no device with this ifindex in the caller's network namespace");
}

TEST_F(sf, add_twice)
{
	struct sf_ports ports;
	struct sf_ack ack;
	uint32_t ifindex;

	ifindex = sf_dummy("sf0");
	ASSERT_NE(0U, ifindex);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, EEXIST, "slotfilter: device is already a port");

	/* The failed add left the port as it was. */
	ASSERT_LT(0, sf_dump(&self->sk, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, ports.n);
	ASSERT_EQ(ifindex, ports.v[0].ifindex);
	free(ports.v);
}

/* Deleting what is not a port, existing device or not, is ENOENT. */
TEST_F(sf, del_not_a_port)
{
	struct sf_ack ack;
	uint32_t ifindex;

	ifindex = sf_dummy("sf0");
	ASSERT_NE(0U, ifindex);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_DEL, ifindex, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_DEL, 999999, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, 999999, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
}

/* Every doit needs the ifindex, and the ack names the missing attribute. */
TEST_F(sf, missing_ifindex)
{
	static const uint8_t cmds[] = {
		SLOTFILTER_CMD_PORT_ADD,
		SLOTFILTER_CMD_PORT_DEL,
		SLOTFILTER_CMD_PORT_GET,
	};
	struct sf_ack ack;
	unsigned int i;

	for (i = 0; i < sizeof(cmds); i++) {
		ASSERT_LT(0, sf_talk(&self->sk, cmds[i], NLM_F_ACK, NULL, NULL,
				     NULL, NULL, &ack));
		ASSERT_ACK(ack, EINVAL,
			   "slotfilter: missing port ifindex (SLOTFILTER_PORT_A_IFINDEX)");
		ASSERT_EQ(SLOTFILTER_PORT_A_IFINDEX, ack.miss_type)
			TH_LOG("command %u", cmds[i]);
		ASSERT_EQ(-1, ack.offs);
	}
}

/* NLA_U32 is exactly 4 bytes under strict validation (lib/nlattr.c). */
TEST_F(sf, ifindex_wrong_length)
{
	const uint64_t u64 = 1;
	const uint16_t u16 = 1;
	struct sf_attrs attrs = { .n = 1 };
	struct sf_ack ack;

	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_IFINDEX,
				       sizeof(u16), &u16 };
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_ADD, NLM_F_ACK, sf_put_attrs,
		&attrs, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "invalid attribute length");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);

	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_IFINDEX,
				       sizeof(u64), &u64 };
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_ADD, NLM_F_ACK, sf_put_attrs,
		&attrs, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "invalid attribute length");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);

	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_IFINDEX, 0, NULL };
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_DEL, NLM_F_ACK, sf_put_attrs,
		&attrs, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "invalid attribute length");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);
}

/*
 * ifindex 0 is below the policy's minimum of 1. The policy core returns
 * ERANGE for an integer out of range (nla_validate_int_range_unsigned()).
 */
TEST_F(sf, ifindex_zero)
{
	struct sf_ack ack;

	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, 0, &ack, NULL);
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, 0, &ack, NULL);
	ASSERT_ACK(ack, ERANGE, "integer out of range");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);
}

/* The reply attributes are rejected in requests, pointing at them. */
TEST_F(sf, reply_attr_in_request)
{
	struct sf_attrs attrs = { .n = 2 };
	const uint32_t ifindex = 1;
	struct sf_ack ack;

	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_IFINDEX,
				       sizeof(ifindex), &ifindex };
	attrs.a[1] = (struct sf_attr){ SLOTFILTER_PORT_A_IFNAME, 3, "lo" };
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_ADD, NLM_F_ACK, sf_put_attrs,
		&attrs, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL,
		   "the port name is a reply attribute: identify the port by ifindex");
	ASSERT_EQ(SF_ATTR_OFFS + 8, ack.offs);

	attrs.n = 1;
	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_DIRS, 0, NULL };
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_GET, NLM_F_ACK, sf_put_attrs,
		&attrs, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "counters are a reply attribute");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);
}

/* Strict validation: attribute types beyond the policy, and type 0. */
TEST_F(sf, unknown_attr)
{
	struct sf_attrs attrs = { .n = 1 };
	const uint32_t val = 1;
	struct sf_ack ack;

	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_MAX + 1,
				       sizeof(val), &val };
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_ADD, NLM_F_ACK, sf_put_attrs,
		&attrs, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "Unknown attribute type");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);

	attrs.a[0].type = SLOTFILTER_PORT_A_UNSPEC;
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_DEL, NLM_F_ACK, sf_put_attrs,
		&attrs, NULL, NULL, &ack);
	ASSERT_ACK(ack, EINVAL, "Unknown attribute type");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);
}

/* A dump request is validated as strictly as a doit. */
TEST_F(sf, dump_validates_request)
{
	struct sf_attrs attrs = { .n = 1 };
	const uint16_t u16 = 1;
	struct sf_ports ports;
	struct sf_ack ack;

	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_IFNAME, 3, "lo" };
	memset(&ports, 0, sizeof(ports));
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_GET, NLM_F_DUMP, sf_put_attrs,
		&attrs, sf_ports_msg, &ports, &ack);
	ASSERT_ACK(ack, EINVAL,
		   "the port name is a reply attribute: identify the port by ifindex");
	ASSERT_EQ(SF_ATTR_OFFS, ack.offs);

	attrs.a[0] = (struct sf_attr){ SLOTFILTER_PORT_A_IFINDEX,
				       sizeof(u16), &u16 };
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_GET, NLM_F_DUMP, sf_put_attrs,
		&attrs, sf_ports_msg, &ports, &ack);
	ASSERT_ACK(ack, EINVAL, "invalid attribute length");
	ASSERT_EQ(0, ports.n);
	free(ports.v);
}

/* Unknown commands, and a dump of a command that has none. */
TEST_F(sf, unknown_cmd)
{
	const uint32_t ifindex = 1;
	struct sf_ack ack;

	sf_talk(&self->sk, 200, NLM_F_ACK, sf_put_ifindex, &ifindex, NULL,
		NULL, &ack);
	ASSERT_ACK(ack, EOPNOTSUPP, "");
	sf_talk(&self->sk, SLOTFILTER_CMD_UNSPEC, NLM_F_ACK, NULL, NULL, NULL,
		NULL, &ack);
	ASSERT_ACK(ack, EOPNOTSUPP, "");
	sf_talk(&self->sk, SLOTFILTER_CMD_PORT_ADD, NLM_F_DUMP, NULL, NULL,
		NULL, NULL, &ack);
	ASSERT_ACK(ack, EOPNOTSUPP, "");
}

/* What a caller without CAP_NET_ADMIN over the namespace got. */
struct sf_unpriv {
	uint32_t port, other;		/* in: a port, a plain device */
	int unshare_errno;
	int open_err;
	struct sf_ack add, del, get, dump;
	struct sf_port_info got;
	int nports;
	int64_t dumped;
};

static void sf_unpriv_child(void *arg)
{
	struct sf_unpriv *r = arg;
	struct sf_ports ports;
	struct sf_sock s;

	/* No uid map: the caller becomes nobody, with no capability in
	 * the user namespace that owns the test's network namespace.
	 */
	if (unshare(CLONE_NEWUSER)) {
		r->unshare_errno = errno;
		return;
	}
	r->open_err = sf_open(&s);
	if (r->open_err)
		return;
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_ADD, r->other, &r->add, NULL);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_DEL, r->port, &r->del, NULL);
	sf_port_cmd(&s, SLOTFILTER_CMD_PORT_GET, r->port, &r->get, &r->got);
	if (sf_dump(&s, 0, &ports, &r->dump) > 0) {
		r->nports = ports.n;
		r->dumped = ports.n ? ports.v[0].ifindex : -1;
	}
	free(ports.v);
	sf_close(&s);
}

TEST_F(sf, unprivileged)
{
	struct sf_unpriv *r = sf_shared(sizeof(*r));
	struct sf_ack ack;

	ASSERT_NE(NULL, r);
	r->port = sf_dummy("sf0");
	r->other = sf_dummy("sf1");
	ASSERT_NE(0U, r->port);
	ASSERT_NE(0U, r->other);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, r->port, &ack, NULL);
	ASSERT_ACK(ack, 0, "");

	ASSERT_EQ(0, sf_child(sf_unpriv_child, r));
	ASSERT_EQ(0, r->unshare_errno)
		TH_LOG("unshare(CLONE_NEWUSER): %s", strerror(r->unshare_errno));
	ASSERT_EQ(0, r->open_err);
	ASSERT_ACK(r->add, EPERM, "");
	ASSERT_ACK(r->del, EPERM, "");
	/* Reading needs no privilege. */
	ASSERT_ACK(r->get, 0, "");
	ASSERT_EQ(r->port, r->got.ifindex);
	ASSERT_STREQ("sf0", r->got.ifname);
	ASSERT_ACK(r->dump, 0, "");
	ASSERT_EQ(1, r->nports);
	ASSERT_EQ(r->port, r->dumped);

	/* And nothing changed. */
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, r->port, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, r->other, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	munmap(r, sizeof(*r));
}

static int sf_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A dump larger than a read returns every port once, ascending. */
TEST_F_TIMEOUT(sf, dump_many_ports, 120)
{
	uint32_t ifindex[SF_MANY_PORTS];
	char name[IFNAMSIZ];
	struct sf_ports ports;
	struct sf_ack ack;
	FILE *batch;
	int i, reads;

	batch = popen("ip -batch -", "w");
	ASSERT_NE(NULL, batch);
	for (i = 0; i < SF_MANY_PORTS; i++)
		fprintf(batch, "link add sf%d type dummy\n", i);
	ASSERT_EQ(0, pclose(batch));
	for (i = 0; i < SF_MANY_PORTS; i++) {
		snprintf(name, sizeof(name), "sf%d", i);
		ifindex[i] = if_nametoindex(name);
		ASSERT_NE(0U, ifindex[i]) TH_LOG("%s", name);
		sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex[i],
			    &ack, NULL);
		ASSERT_ACK(ack, 0, "");
	}
	qsort(ifindex, SF_MANY_PORTS, sizeof(ifindex[0]), sf_cmp_u32);

	reads = sf_dump(&self->sk, 0, &ports, &ack);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(1, reads) TH_LOG("the dump took a single read");
	ASSERT_EQ(SF_MANY_PORTS, ports.n);
	for (i = 0; i < SF_MANY_PORTS; i++) {
		const struct sf_port_info *p = &ports.v[i];

		ASSERT_EQ(ifindex[i], p->ifindex) TH_LOG("entry %d", i);
		ASSERT_STREQ(if_indextoname(ifindex[i], name), p->ifname);
		ASSERT_EQ(0, p->bad);
		ASSERT_EQ(SLOTFILTER_DIR_COUNT, p->ndirs);
		ASSERT_EQ(SLOTFILTER_NUM_SLOTS, p->dir[1].nslots);
	}
	free(ports.v);
}

/* A dump with an ifindex holds that port only, or nothing. */
TEST_F(sf, dump_filter)
{
	struct sf_ports ports;
	uint32_t ifindex[3];
	char name[IFNAMSIZ];
	struct sf_ack ack;
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "sf%d", i);
		ifindex[i] = sf_dummy(name);
		ASSERT_NE(0U, ifindex[i]);
	}
	for (i = 0; i < 2; i++) {
		sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex[i],
			    &ack, NULL);
		ASSERT_ACK(ack, 0, "");
	}

	for (i = 0; i < 2; i++) {
		ASSERT_LT(0, sf_dump(&self->sk, ifindex[i], &ports, &ack));
		ASSERT_ACK(ack, 0, "");
		ASSERT_EQ(1, ports.n);
		ASSERT_EQ(ifindex[i], ports.v[0].ifindex);
		free(ports.v);
	}
	/* sf2 exists but is not a port; 999999 does not exist. */
	ASSERT_LT(0, sf_dump(&self->sk, ifindex[2], &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, ports.n);
	free(ports.v);
	ASSERT_LT(0, sf_dump(&self->sk, 999999, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, ports.n);
	free(ports.v);
}

/*
 * Ports are per namespace: a port of this namespace is invisible from
 * another, and the same ifindex there is a different device and port.
 *
 *     test netns: a0 (ifindex N, port)   netns B: b0 (ifindex N)
 */
TEST_F(sf, netns)
{
	struct sf_port_info p;
	struct sf_ports ports;
	struct sf_sock sb;
	uint32_t a0, a1;
	struct sf_ack ack;
	int nb, err;

	a0 = sf_dummy("a0");
	a1 = sf_dummy("a1");
	ASSERT_NE(0U, a0);
	ASSERT_NE(0U, a1);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, a0, &ack, NULL);
	ASSERT_ACK(ack, 0, "");

	/* A socket belongs to the namespace it was opened in. */
	nb = sf_netns_new(self->netns);
	ASSERT_LE(0, nb);
	ASSERT_EQ(0, setns(nb, CLONE_NEWNET));
	err = sf_open(&sb);
	ASSERT_EQ(0, sf_sh("ip link add b0 index %u type dummy", a0));
	ASSERT_EQ(0, setns(self->netns, CLONE_NEWNET));
	ASSERT_EQ(0, err);

	ASSERT_LT(0, sf_dump(&sb, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, ports.n);
	free(ports.v);
	sf_port_cmd(&sb, SLOTFILTER_CMD_PORT_GET, a0, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	sf_port_cmd(&sb, SLOTFILTER_CMD_PORT_DEL, a0, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	/* a1's ifindex names no device in B. */
	sf_port_cmd(&sb, SLOTFILTER_CMD_PORT_ADD, a1, &ack, NULL);
	ASSERT_ACK(ack, ENODEV,
		   "slotfilter: no device with this ifindex in the caller's network namespace");

	/* The same ifindex in B: another device, another port. */
	sf_port_cmd(&sb, SLOTFILTER_CMD_PORT_ADD, a0, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_LT(0, sf_dump(&sb, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, ports.n);
	ASSERT_EQ(a0, ports.v[0].ifindex);
	ASSERT_STREQ("b0", ports.v[0].ifname);
	free(ports.v);
	ASSERT_LT(0, sf_dump(&self->sk, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(1, ports.n);
	ASSERT_EQ(a0, ports.v[0].ifindex);
	ASSERT_STREQ("a0", ports.v[0].ifname);
	free(ports.v);

	/* Deleting B's port leaves this one alone. */
	sf_port_cmd(&sb, SLOTFILTER_CMD_PORT_DEL, a0, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, a0, &ack, &p);
	ASSERT_ACK(ack, 0, "");
	ASSERT_STREQ("a0", p.ifname);
	sf_close(&sb);
	close(nb);
}

/* A port goes with its device. */
TEST_F(sf, device_deleted)
{
	struct sf_ports ports;
	struct sf_ack ack;
	uint32_t ifindex;

	ifindex = sf_dummy("sf0");
	ASSERT_NE(0U, ifindex);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_sh("ip link del sf0"));

	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, ifindex, &ack, NULL);
	ASSERT_ACK(ack, ENOENT, SF_NOT_A_PORT);
	ASSERT_LT(0, sf_dump(&self->sk, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, ports.n);
	free(ports.v);
}

/* A device moved to another namespace is a port in neither. */
TEST_F(sf, device_moved)
{
	struct sf_ports ports;
	struct sf_sock sb;
	struct sf_ack ack;
	uint32_t ifindex;
	int nb, err;

	ifindex = sf_dummy("sf0");
	ASSERT_NE(0U, ifindex);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	nb = sf_netns_new(self->netns);
	ASSERT_LE(0, nb);
	ASSERT_EQ(0, sf_sh("ip link set sf0 netns %s", sf_netns_path(nb)));

	ASSERT_LT(0, sf_dump(&self->sk, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, ports.n);
	free(ports.v);

	ASSERT_EQ(0, setns(nb, CLONE_NEWNET));
	err = sf_open(&sb);
	ASSERT_EQ(0, setns(self->netns, CLONE_NEWNET));
	ASSERT_EQ(0, err);
	ASSERT_LT(0, sf_dump(&sb, 0, &ports, &ack));
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, ports.n);
	free(ports.v);
	sf_close(&sb);
	close(nb);
}

/* The reply carries the device's name of the moment. */
TEST_F(sf, device_renamed)
{
	struct sf_port_info p;
	struct sf_ack ack;
	uint32_t ifindex;

	ifindex = sf_dummy("sf0");
	ASSERT_NE(0U, ifindex);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_sh("ip link set sf0 name renamed0"));
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, ifindex, &ack, &p);
	ASSERT_ACK(ack, 0, "");
	ASSERT_STREQ("renamed0", p.ifname);
}

/*
 * The port counts what its device counts. IPv6 is off and neighbours are
 * static, so the pings are all there is on the wire:
 *
 *     test netns                          netns B
 *     p0 10.9.0.1/24 (port) <--veth--> w0 10.9.0.2/24
 */
TEST_F(sf, counters)
{
	struct sf_devstats dev0, dev1;
	struct sf_port_info p0, p1;
	struct sf_ack ack;
	uint32_t ifindex;
	int nb, d, i;

	ASSERT_EQ(0, sf_no_ipv6());
	nb = sf_netns_new(self->netns);
	ASSERT_LE(0, nb);
	ASSERT_EQ(0, setns(nb, CLONE_NEWNET));
	ASSERT_EQ(0, sf_no_ipv6());
	ASSERT_EQ(0, setns(self->netns, CLONE_NEWNET));

	ASSERT_EQ(0, sf_sh("ip link add p0 address 02:00:00:00:00:01 type veth "
			   "peer name w0 address 02:00:00:00:00:02 netns %s",
			   sf_netns_path(nb)));
	ASSERT_EQ(0, sf_sh("ip addr add 10.9.0.1/24 dev p0 && "
			   "ip neigh replace 10.9.0.2 lladdr 02:00:00:00:00:02 "
			   "dev p0 nud permanent"));
	ASSERT_EQ(0, setns(nb, CLONE_NEWNET));
	ASSERT_EQ(0, sf_sh("ip addr add 10.9.0.2/24 dev w0 && "
			   "ip neigh replace 10.9.0.1 lladdr 02:00:00:00:00:01 "
			   "dev w0 nud permanent && ip link set w0 up"));
	ASSERT_EQ(0, setns(self->netns, CLONE_NEWNET));
	ifindex = if_nametoindex("p0");
	ASSERT_NE(0U, ifindex);
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_ADD, ifindex, &ack, NULL);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_sh("ip link set p0 up"));

	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, ifindex, &ack, &p0);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_devstats("p0", &dev0));
	ASSERT_EQ(0, sf_sh("ping -c 10 -i 0.05 -W 2 -q 10.9.0.2 >/dev/null"));
	sf_port_cmd(&self->sk, SLOTFILTER_CMD_PORT_GET, ifindex, &ack, &p1);
	ASSERT_ACK(ack, 0, "");
	ASSERT_EQ(0, sf_devstats("p0", &dev1));

	/* 10 replies in, 10 requests out: 56 + 8 + 20 + 14 bytes a frame. */
	ASSERT_EQ(10, p1.dir[SLOTFILTER_DIR_INGRESS].packets -
		      p0.dir[SLOTFILTER_DIR_INGRESS].packets);
	ASSERT_EQ(10, p1.dir[SLOTFILTER_DIR_EGRESS].packets -
		      p0.dir[SLOTFILTER_DIR_EGRESS].packets);
	ASSERT_EQ(dev1.rx_packets - dev0.rx_packets,
		  p1.dir[SLOTFILTER_DIR_INGRESS].packets -
		  p0.dir[SLOTFILTER_DIR_INGRESS].packets);
	ASSERT_EQ(dev1.tx_packets - dev0.tx_packets,
		  p1.dir[SLOTFILTER_DIR_EGRESS].packets -
		  p0.dir[SLOTFILTER_DIR_EGRESS].packets);
	ASSERT_EQ(980, p1.dir[SLOTFILTER_DIR_INGRESS].bytes -
		       p0.dir[SLOTFILTER_DIR_INGRESS].bytes);
	ASSERT_EQ(dev1.rx_bytes - dev0.rx_bytes,
		  p1.dir[SLOTFILTER_DIR_INGRESS].bytes -
		  p0.dir[SLOTFILTER_DIR_INGRESS].bytes);
	ASSERT_EQ(dev1.tx_bytes - dev0.tx_bytes,
		  p1.dir[SLOTFILTER_DIR_EGRESS].bytes -
		  p0.dir[SLOTFILTER_DIR_EGRESS].bytes);

	/* No slot is occupied: nothing dropped, held or judged. */
	for (d = 0; d < SLOTFILTER_DIR_COUNT; d++) {
		ASSERT_EQ(0, p1.dir[d].drops);
		ASSERT_EQ(0, p1.dir[d].stolen);
		for (i = 0; i < SLOTFILTER_NUM_SLOTS; i++)
			ASSERT_EQ(0, p1.dir[d].slot[i].packets);
	}
	close(nb);
}

TEST_HARNESS_MAIN
