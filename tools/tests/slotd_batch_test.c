// SPDX-License-Identifier: GPL-2.0
/*
 * slotd_batch_test.c - verdicts leave in as few kernel messages as the
 * count and the message's room allow, in order, replacements intact
 */
#include <errno.h>

#include "../slotd/batch.h"
#include "slotd_fake.h"
#include "test.h"

static struct fake_kernel fk;

TEST(slotd_batch_count)
{
	struct sd_batch b;
	struct sd_kchan *kc;
	struct sd_kbind info;
	char err[64];
	uint64_t i;
	bool order = true;

	fake_init(&fk, 1 << 20);
	CHECK_INT(fk.ops.bind(&fk, "s", false, &kc, &info, err, sizeof(err)), 0);
	CHECK_INT(sd_batch_init(&b, &fk.ops, kc, 64), 0);
	for (i = 1; i <= 200; i++) {
		struct sd_verdict v = { i, SD_V_CONTINUE, NULL, 0 };

		CHECK_INT(sd_batch_add(&b, &v), 0);
	}
	/* 3 full batches went out at once; 8 wait for the flush. */
	CHECK_INT(fk.messages, 3);
	CHECK_INT(fk.n_v, 192);
	CHECK_INT(sd_batch_flush(&b), 0);
	CHECK_INT(sd_batch_flush(&b), 0);	/* nothing left: no message */
	CHECK_INT(fk.messages, 4);
	CHECK_INT(fk.largest, 64);
	CHECK_INT(fk.n_v, 200);
	for (i = 0; i < 200; i++)
		order &= fk.v[i].id == i + 1;
	CHECK(order);
	CHECK_INT(b.stats.messages, 4);
	CHECK_INT(b.stats.verdicts, 200);
	sd_batch_fini(&b);
	fake_fini(&fk);
}

TEST(slotd_batch_room)
{
	struct sd_verdict v = { 0, SD_V_CONTINUE, NULL, 0 };
	struct sd_batch b;
	struct sd_kchan *kc;
	struct sd_kbind info;
	char err[64];

	/* Room for 160 bytes: ten plain verdicts of 16. */
	fake_init(&fk, 160);
	CHECK_INT(fk.ops.bind(&fk, "s", false, &kc, &info, err, sizeof(err)), 0);
	CHECK_INT(sd_batch_init(&b, &fk.ops, kc, 1000), 0);
	for (v.id = 1; v.id <= 10; v.id++)
		CHECK_INT(sd_batch_add(&b, &v), 0);
	CHECK_INT(fk.messages, 0);
	CHECK_INT(sd_batch_add(&b, &v), 0);	/* the 11th does not fit */
	CHECK_INT(fk.messages, 1);
	CHECK_INT(fk.n_v, 10);
	CHECK_INT(sd_batch_flush(&b), 0);
	CHECK_INT(fk.messages, 2);
	CHECK_INT(fk.n_v, 11);
	sd_batch_fini(&b);
	fake_fini(&fk);
}

TEST(slotd_batch_replacements_alone)
{
	uint8_t big[100], small[5] = "hello";
	struct sd_batch b;
	struct sd_kchan *kc;
	struct sd_kbind info;
	char err[64];

	fake_init(&fk, 160);
	memset(big, 'B', sizeof(big));
	CHECK_INT(fk.ops.bind(&fk, "s", false, &kc, &info, err, sizeof(err)), 0);
	CHECK_INT(sd_batch_init(&b, &fk.ops, kc, 1000), 0);
	{
		struct sd_verdict v1 = { 1, SD_V_CONTINUE, small, 5 };
		struct sd_verdict v2 = { 2, SD_V_DROP, NULL, 0 };
		struct sd_verdict v3 = { 3, SD_V_CONTINUE_FLOW, big, 100 };
		struct sd_verdict v4 = { 4, SD_V_CONTINUE, big, 200 };

		/* A replacement leaves at once, in a message of its own. */
		CHECK_INT(sd_batch_add(&b, &v1), 0);
		CHECK_INT(fk.messages, 1);
		small[0] = 'j';		/* the batch took its own copy */
		CHECK_INT(sd_batch_add(&b, &v2), 0);
		CHECK_INT(fk.messages, 1);
		/* v2 goes first, then v3 alone. */
		CHECK_INT(sd_batch_add(&b, &v3), 0);
		CHECK_INT(fk.messages, 3);
		CHECK_INT(fk.largest, 1);
		CHECK_INT(sd_batch_add(&b, &v2), 0);
		/* One verdict larger than a message is refused. */
		CHECK_INT(sd_batch_add(&b, &v4), -EMSGSIZE);
	}
	CHECK_INT(sd_batch_flush(&b), 0);
	CHECK_INT(fk.messages, 4);
	CHECK_INT(fk.n_v, 4);
	CHECK_INT(fk.v[0].repl_len, 5);
	CHECK(!memcmp(fk.v[0].repl, "hello", 5));
	CHECK_INT(fk.v[1].repl_len, 0);
	CHECK_INT(fk.v[1].verdict, SD_V_DROP);
	CHECK_INT(fk.v[2].repl_len, 100);
	CHECK(fk.v[2].repl[0] == 'B' && fk.v[2].repl[63] == 'B');
	CHECK_INT(fk.v[3].id, 2);
	sd_batch_fini(&b);
	fake_fini(&fk);
}
