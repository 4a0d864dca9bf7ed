// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * lottery_scx: a sched_ext scheduler that holds a lottery (or, with
 * policy stride, Waldspurger's stride scheduling) at every dispatch.
 *
 * Lottery: queued tasks sit in slots of a Fenwick tree of ticket sums, so a
 * draw is one random number and a log2(slots) descent, whatever the number
 * of tasks. A task that may run on every CPU is in the shared tree; one
 * restricted to some CPUs is in the tree of the CPU it is queued on. CPU c
 * draws over shared + tree c + the task that just ran there if it is still
 * runnable (ops.dispatch runs before that task is queued again): every task
 * drawn may run on c, and no task is ever drawn on a CPU it cannot use.
 *
 * Stride: the same two kinds of queue as vtime-ordered DSQs keyed by pass;
 * CPU c runs the smallest pass among their heads and the task that just ran.
 *
 * Tickets come from userspace (the engine is the authority): a task's own
 * entry in task_tickets, else its process's, else the nice weight table the
 * loader fills from the engine's.
 * A process in a currency holds a share of the currency's funding in
 * proportion to its tickets among the currency's runnable tasks: the
 * currency's active sum is kept as its tasks become runnable (ops.enqueue)
 * and stop being so (ops.quiescent). A currency is userspace's (--group,
 * --per-user, funded by the engine) or else, with cgroup weights on, the
 * task's own cgroup, funded by its cpu.weight as CFS funds a group entity
 * (100 = 2^20 tickets, what the engine funds a currency with by default,
 * and fine enough that a cgroup of thousands of tasks keeps their nice
 * values apart): cgroups of equal weight get equal CPU whatever
 * their number of runnable tasks. Flat: one level, the task's own cgroup;
 * the weights of its ancestors are not applied.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "lottery_scx.h"
#include "ticket_tree.bpf.h"

char _license[] SEC("license") = "Dual MIT/GPL";

/* bpftool 7.1 prints no kfunc prototypes: the ones used, as the 7.x BTF has them. */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
			      u64 enq_flags) __ksym;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym;
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __ksym;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
bool scx_bpf_task_set_slice(struct task_struct *p, u64 slice) __ksym;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
struct cgroup *scx_bpf_task_cgroup(struct task_struct *p) __ksym;
void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)

#define STRIDE_ONE (1ULL << 20) /* pass advance of one ns at one ticket, scaled */
#define SCHED_IDLE_POLICY 5
#define CGROUP_WEIGHT_DFL 100
#define NICE_0 20 /* nice_tickets[NICE_0]: a nice-0 task's weight */
#define CGROUP_CURRENCY (1ULL << 63) /* task_ctx.cur: a cgroup's id, not userspace's number */
#define CGROUP_FUNDING_SCALE 1024
#define MAX_COMPENSATION 100 /* a task that used 1% of its slice or less */
#define DRAW_TRIES 4 /* draws held again when a tree changed meanwhile */
#define ENOMEM 12

/* Filled by the loader before load. */
const volatile u32 abi_version = LOTTERY_SCX_ABI_VERSION;
const volatile u32 policy = LOTTERY_SCX_POLICY_LOTTERY;
const volatile u64 slice_ns = 10ULL * 1000 * 1000;
const volatile u32 nr_cpus = 1;		 /* possible CPUs; trees are nr_cpus + 1 */
const volatile u64 nice_tickets[LOTTERY_SCX_NICE_LEVELS]; /* sched_prio_to_weight */
const volatile u64 idle_tickets = 3;	 /* SCHED_IDLE: WEIGHT_IDLEPRIO */
const volatile bool compensation = true;
const volatile bool cgroup_weights = true;
/* Test switch: the tasks of this process are never drawn, so that the
 * kernel's watchdog ejects the scheduler (the ejection test). */
const volatile s32 starve_tgid;
/* Benchmark switch: one FIFO queue, no draw, the baseline a draw's cost is
 * measured against (bpf_stats run time of ops.enqueue and ops.dispatch).
 * It holds pids and dispatches by reference as the draw does, so that the
 * two differ by the draw alone: a DSQ would do the moving inside
 * ops.dispatch (scx_bpf_dsq_move_to_local), the draw's insertion after it,
 * and SCX_DSQ_GLOBAL is consumed without calling ops.dispatch at all. */
const volatile bool fifo_baseline;

struct lottery_scx_exit exit_info;

/* max_entries is set by the loader to nr_cpus + 1. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct ticket_tree);
} trees SEC(".maps");

struct task_ctx {
	u64 tickets;		/* as last enqueued, compensation and currency excluded */
	u64 cur_tickets;	/* what it adds to its currency's active sum */
	u64 cur;		/* its currency while runnable, 0: none */
	u64 comp;		/* compensation factor, LOTTERY_SCX_COMP_UNIT = none */
	u64 pass;		/* stride */
	u64 exec_at_running;	/* se.sum_exec_runtime when it last started */
	s32 tree;		/* where it is queued, -1: nowhere */
	s32 queue;		/* stride: the queue its pass is relative to, -1: none yet */
	u32 slot;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LOTTERY_SCX_TICKET_ENTRIES);
	__type(key, u32);
	__type(value, u64);
} task_tickets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, LOTTERY_SCX_STAT_ENTRIES);
	__type(key, u32);
	__type(value, struct lottery_scx_task_stats);
} task_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LOTTERY_SCX_TICKET_ENTRIES);
	__type(key, u32);
	__type(value, u32);
} task_currency SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LOTTERY_SCX_CURRENCIES);
	__type(key, u32);
	__type(value, u64);
} currency_funding SEC(".maps");

/* Per currency, the tickets of its runnable tasks (cur_tickets summed). */
static u64 currency_active[LOTTERY_SCX_CURRENCIES];

/* A cgroup's currency: its funding's weight and its runnable tasks' tickets. */
struct cgroup_currency {
	u64 active;
	u32 weight;
};

/* cgroup id -> its currency, kept by the cgroup callbacks. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, struct cgroup_currency);
} cgroup_currencies SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct lottery_scx_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, LOTTERY_SCX_SLOTS);
	__type(value, s32);
} fifo SEC(".maps");

/*
 * Stride: per queue, the highest pass that started running, the queue's
 * virtual time. Queues are independent: the passes of CPU 1's pinned tasks
 * say nothing about CPU 0's, so a sleeper rejoins near its own queue's.
 */
static u64 vtime_now[LOTTERY_SCX_MAX_CPUS + 1];

static __always_inline struct lottery_scx_counters *counter(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

#define COUNT(field)                                     \
	do {                                             \
		struct lottery_scx_counters *c = counter(); \
		if (c)                                   \
			c->field++;                      \
	} while (0)

static __always_inline struct ticket_tree *tree_of(s32 index)
{
	u32 key = index;

	return bpf_map_lookup_elem(&trees, &key);
}

/* The queue a task belongs to: the shared one, or its CPU's. */
static __always_inline s32 home_tree(struct task_struct *p)
{
	if (p->nr_cpus_allowed >= nr_cpus)
		return LOTTERY_SCX_SHARED_TREE;
	return scx_bpf_task_cpu(p) + 1;
}

static __always_inline u64 nice_weight(struct task_struct *p)
{
	u32 index = p->static_prio - 100;

	if (p->policy == SCHED_IDLE_POLICY)
		return idle_tickets;
	if (index >= LOTTERY_SCX_NICE_LEVELS)
		return nice_tickets[20];
	return nice_tickets[index];
}

/* Currencies are below LOTTERY_SCX_CURRENCIES, a power of two: the mask,
 * at each use (a copy spilled to the stack loses its bounds), is what the
 * verifier needs to see the index in bounds. */
#define CURRENCY(c) ((c) & (LOTTERY_SCX_CURRENCIES - 1))

/* Currency cur's active sum, and its funding in *funding; NULL: no
 * currency (0, or a cgroup not, or no longer, known). */
static __always_inline u64 *currency_of(u64 cur, u64 *funding)
{
	struct cgroup_currency *cc;
	u64 *f, id = cur & ~CGROUP_CURRENCY;
	u32 c = CURRENCY(cur);

	*funding = 0;
	if (cur & CGROUP_CURRENCY) {
		cc = bpf_map_lookup_elem(&cgroup_currencies, &id);
		if (!cc)
			return NULL;
		*funding = (u64)cc->weight * nice_tickets[NICE_0] * CGROUP_FUNDING_SCALE /
			   CGROUP_WEIGHT_DFL;
		return &cc->active;
	}
	if (!c)
		return NULL;
	f = bpf_map_lookup_elem(&currency_funding, &c);
	if (f)
		*funding = *f;
	return &currency_active[CURRENCY(c)];
}

static __always_inline void leave_currency(struct task_ctx *ctx)
{
	u64 funding, *active = ctx->cur ? currency_of(ctx->cur, &funding) : NULL;

	if (active)
		__sync_fetch_and_add(active, -ctx->cur_tickets);
	ctx->cur = 0;
}

/* The task's currency: userspace's, as it last set it, else its cgroup. */
static __always_inline u64 currency_key(struct task_struct *p)
{
	u32 key = p->tgid;
	u32 *cur = bpf_map_lookup_elem(&task_currency, &key);
	struct cgroup *cgrp;
	u64 id;

	if (cur && CURRENCY(*cur))
		return CURRENCY(*cur);
	if (!cgroup_weights)
		return 0;
	cgrp = scx_bpf_task_cgroup(p);
	id = cgrp->kn->id;
	bpf_cgroup_release(cgrp);
	return CGROUP_CURRENCY | id;
}

/* The runnable task's part in its currency's active sum. */
static __always_inline void join_currency(struct task_struct *p, struct task_ctx *ctx, u64 own)
{
	u64 funding, *active, c = currency_key(p);

	if (c == ctx->cur && own == ctx->cur_tickets)
		return;
	leave_currency(ctx);
	active = c ? currency_of(c, &funding) : NULL;
	if (!active)
		return;
	__sync_fetch_and_add(active, own);
	ctx->cur = c;
	ctx->cur_tickets = own;
}

/* Its tickets as the currency values them now: funding * own / active. */
static __always_inline u64 currency_value(struct task_ctx *ctx)
{
	u64 funding, active, t = ctx->tickets;
	u64 *sum = ctx->cur ? currency_of(ctx->cur, &funding) : NULL;

	if (!sum)
		return t;
	active = *sum;
	if (!funding || !active)
		return t;
	if (t >> 32 || funding >> 32) /* no overflow, a little rounding */
		return (t / active ?: 1) * funding;
	return t * funding / active ?: 1;
}

static __always_inline u64 task_base_tickets(struct task_struct *p, struct task_ctx *ctx)
{
	u32 key = p->pid;
	u64 *override = bpf_map_lookup_elem(&task_tickets, &key);
	u64 tickets;

	if (!override) {
		key = p->tgid;
		override = bpf_map_lookup_elem(&task_tickets, &key);
	}
	tickets = override ? *override : nice_weight(p);
	tickets = tickets ?: 1;
	join_currency(p, ctx, tickets);
	return tickets;
}

static __always_inline struct task_ctx *ctx_of(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, 0);
}

/* What the task holds in the next draw: its tickets in its currency now,
 * inflated by compensation when it gave up the CPU early last time
 * (Waldspurger 4.5). */
static __always_inline u64 draw_tickets(struct task_ctx *ctx)
{
	return currency_value(ctx) * ctx->comp / LOTTERY_SCX_COMP_UNIT ?: 1;
}

/* Wakes a CPU that can run the task, if one idles: it will hold a draw. */
static __always_inline void wake_a_cpu(struct task_struct *p, s32 tree)
{
	s32 cpu = tree == LOTTERY_SCX_SHARED_TREE ? scx_bpf_pick_idle_cpu(p->cpus_ptr, 0) : tree - 1;

	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

/*
 * A new task, or one that moved queue, starts at the queue's virtual time; a
 * sleeper rejoins at most one slice's worth of its own pass behind it. A
 * task that stayed runnable keeps its pass as it is.
 */
static __always_inline void stride_rejoin(struct task_ctx *ctx, s32 tree, u64 enq_flags)
{
	u64 lag = slice_ns * STRIDE_ONE / draw_tickets(ctx);
	u32 q = tree & (LOTTERY_SCX_MAX_CPUS | (LOTTERY_SCX_MAX_CPUS - 1));
	u64 now = q <= LOTTERY_SCX_MAX_CPUS ? vtime_now[q] : 0;

	if (ctx->queue != tree)
		ctx->pass = now;
	else if ((enq_flags & SCX_ENQ_WAKEUP) && ctx->pass + lag < now)
		ctx->pass = now - lag;
	ctx->queue = tree;
}

static __always_inline void enqueue_stride(struct task_struct *p, struct task_ctx *ctx, s32 tree,
					   u64 enq_flags)
{
	stride_rejoin(ctx, tree, enq_flags);
	scx_bpf_dsq_insert_vtime(p, tree, slice_ns, ctx->pass, enq_flags);
}

static __always_inline void count_win(struct task_struct *p)
{
	u32 key = p->pid;
	struct lottery_scx_task_stats *stats = bpf_map_lookup_elem(&task_stats, &key);

	if (stats)
		stats->wins++;
}

/*
 * Whether a draw on this idle CPU could have only p as its entrant: no
 * previous task (the CPU idles) and nothing queued that may run there.
 * Then the draw's result is known without holding it.
 */
static __always_inline bool sole_entrant(s32 cpu)
{
	struct ticket_tree *shared, *local;

	if (policy == LOTTERY_SCX_POLICY_STRIDE)
		return !scx_bpf_dsq_nr_queued(LOTTERY_SCX_SHARED_TREE) &&
		       !scx_bpf_dsq_nr_queued(cpu + 1);
	shared = tree_of(LOTTERY_SCX_SHARED_TREE);
	local = tree_of(cpu + 1);
	/* Unlocked reads: a task queued meanwhile is as one queued just after. */
	return shared && local && !*(volatile u32 *)&shared->nr_queued &&
	       !*(volatile u32 *)&local->nr_queued;
}

s32 BPF_STRUCT_OPS(lottery_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct task_ctx *tctx;
	bool idle;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	/*
	 * A waking task that finds an idle CPU with nothing else to draw
	 * from would win that CPU's draw for sure: it goes straight to the
	 * CPU's local queue, sparing the wakeup a queue insertion, a kick
	 * and a draw (the pipe ping-pong's path). Otherwise it only places
	 * the task; the draw decides.
	 */
	if (!idle || fifo_baseline || cpu < 0 || cpu >= nr_cpus || !sole_entrant(cpu))
		return cpu;
	tctx = ctx_of(p);
	if (!tctx || (starve_tgid && p->tgid == starve_tgid))
		return cpu;
	tctx->tickets = task_base_tickets(p, tctx);
	if (policy == LOTTERY_SCX_POLICY_STRIDE)
		stride_rejoin(tctx, home_tree(p), SCX_ENQ_WAKEUP);
	else
		count_win(p);
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
	/* A draw with one entrant: counted as one, won by a queued task. */
	COUNT(dispatches);
	COUNT(dispatched);
	return cpu;
}

void BPF_STRUCT_OPS(lottery_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = ctx_of(p);
	struct ticket_tree *t;
	s32 tree = home_tree(p);
	u64 tickets;
	u32 slot;

	COUNT(enqueued);
	if (fifo_baseline) {
		s32 pid = p->pid;

		if (bpf_map_push_elem(&fifo, &pid, 0))
			scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return;
	}
	if (!tctx || (starve_tgid && p->tgid == starve_tgid)) {
		if (!tctx)
			scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return; /* a starved task stays queued with us, never drawn */
	}
	tctx->tickets = task_base_tickets(p, tctx);
	if (policy == LOTTERY_SCX_POLICY_STRIDE) {
		enqueue_stride(p, tctx, tree, enq_flags);
		wake_a_cpu(p, tree);
		return;
	}
	t = tree_of(tree);
	if (!t) {
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return;
	}
	tickets = draw_tickets(tctx); /* map lookups: not under the lock */
	bpf_spin_lock(&t->lock);
	slot = tree_insert(t, p->pid, tickets);
	bpf_spin_unlock(&t->lock);
	if (!slot) {
		COUNT(overflow);
		tctx->tree = -1;
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
		return;
	}
	tctx->tree = tree;
	tctx->slot = slot;
	wake_a_cpu(p, tree);
}

void BPF_STRUCT_OPS(lottery_dequeue, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *tctx = ctx_of(p);
	struct ticket_tree *t;

	if (!tctx || tctx->tree < 0 || policy == LOTTERY_SCX_POLICY_STRIDE)
		return;
	t = tree_of(tctx->tree);
	tctx->tree = -1;
	if (!t)
		return;
	bpf_spin_lock(&t->lock);
	tree_remove(t, tctx->slot, p->pid);
	bpf_spin_unlock(&t->lock);
}

/* A tree's total and generation, read consistently. */
static __always_inline u64 tree_snapshot(struct ticket_tree *t, u64 *generation, u32 *queued)
{
	u64 total;

	bpf_spin_lock(&t->lock);
	total = t->total;
	*generation = t->generation;
	*queued = t->nr_queued;
	bpf_spin_unlock(&t->lock);
	return total;
}

static __always_inline void note_queued(u64 queued)
{
	struct lottery_scx_counters *c = counter();

	if (c)
		c->queued_seen = queued;
}

/*
 * Takes the task of ticket r out of tree t, if the tree is still as the
 * draw saw it (same generation). Returns its pid, 0 when the tree changed.
 * On the last try the tree's current state is drawn from instead.
 */
static __always_inline s32 take_winner(struct ticket_tree *t, u64 r, u64 generation, bool last,
				       u64 fresh)
{
	s32 pid = 0;

	bpf_spin_lock(&t->lock);
	if (last && t->total)
		r = fresh % t->total;
	if ((last || t->generation == generation) && r < t->total)
		pid = tree_remove(t, fenwick_find(t, r), 0);
	bpf_spin_unlock(&t->lock);
	return pid;
}

/* Runs the winner on this CPU; false when it cannot (exited, or not allowed here). */
static __always_inline bool run_winner(s32 pid, s32 cpu)
{
	struct task_struct *p = bpf_task_from_pid(pid);
	struct task_ctx *ctx;

	if (!p) {
		COUNT(stale);
		return false;
	}
	ctx = ctx_of(p);
	if (ctx)
		ctx->tree = -1;
	if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) {
		/* Its affinity changed while queued: the kernel re-enqueues it. */
		bpf_task_release(p);
		COUNT(stale);
		return false;
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
	count_win(p);
	bpf_task_release(p);
	COUNT(dispatched);
	return true;
}

static __always_inline void keep_prev(struct task_struct *prev, struct task_ctx *ctx)
{
	count_win(prev);
	/* With its slice refilled and nothing dispatched, the kernel keeps it running. */
	scx_bpf_task_set_slice(prev, slice_ns);
	COUNT(prev_kept);
}

/* The running task takes part in the draw while it is still runnable. */
static __always_inline struct task_ctx *runnable_prev(struct task_struct *prev)
{
	if (!prev || !(prev->scx.flags & SCX_TASK_QUEUED))
		return NULL;
	if (starve_tgid && prev->tgid == starve_tgid)
		return NULL;
	return ctx_of(prev);
}

static __always_inline void dispatch_lottery(s32 cpu, struct task_struct *prev)
{
	struct task_ctx *prev_ctx = runnable_prev(prev);
	struct ticket_tree *shared = tree_of(LOTTERY_SCX_SHARED_TREE);
	struct ticket_tree *local = tree_of(cpu + 1);
	u64 prev_tickets = prev_ctx ? draw_tickets(prev_ctx) : 0;

	if (!shared || !local)
		return;
	COUNT(dispatches);
	for (int i = 0; i < DRAW_TRIES; i++) {
		u64 shared_gen, local_gen, r, total;
		u32 shared_queued, local_queued;
		u64 shared_total = tree_snapshot(shared, &shared_gen, &shared_queued);
		u64 local_total = tree_snapshot(local, &local_gen, &local_queued);
		bool last = i == DRAW_TRIES - 1;
		s32 pid;

		/*
		 * Exact: r is uniform over prev's tickets, then the shared
		 * tree's, then this CPU's, as the snapshot saw them; a winner
		 * is taken only from a tree whose generation is unchanged,
		 * i.e. still exactly as drawn. Otherwise the draw is held
		 * again from fresh snapshots.
		 */
		total = prev_tickets + shared_total + local_total;
		note_queued(shared_queued + local_queued);
		if (!total) {
			COUNT(empty);
			return;
		}
		r = uniform_below(total);
		if (prev && prev_ctx && r < prev_tickets) {
			keep_prev(prev, prev_ctx);
			return;
		}
		r -= prev_tickets;
		if (r < shared_total)
			pid = take_winner(shared, r, shared_gen, last, random_u64());
		else
			pid = take_winner(local, r - shared_total, local_gen, last, random_u64());
		if (pid && run_winner(pid, cpu))
			return;
		COUNT(retries);
	}
}

/* The smallest pass among the heads of the queues CPU c may take from. */
static __always_inline void dispatch_stride(s32 cpu, struct task_struct *prev)
{
	struct task_ctx *prev_ctx = runnable_prev(prev);
	struct task_struct *head;
	u64 best = prev_ctx ? prev_ctx->pass : (u64)-1;
	bool have = prev && prev_ctx;
	u64 dsq = (u64)-1;

	COUNT(dispatches);
	note_queued(scx_bpf_dsq_nr_queued(LOTTERY_SCX_SHARED_TREE) + scx_bpf_dsq_nr_queued(cpu + 1));
	if (prev && prev_ctx) {
		/* Its pass as if it stopped now. */
		u64 ran = prev->se.sum_exec_runtime - prev_ctx->exec_at_running;

		best += ran * STRIDE_ONE / draw_tickets(prev_ctx);
	}
	head = scx_bpf_dsq_peek(LOTTERY_SCX_SHARED_TREE);
	if (head && (!have || head->scx.dsq_vtime < best)) {
		best = head->scx.dsq_vtime;
		dsq = LOTTERY_SCX_SHARED_TREE;
		have = true;
	}
	head = scx_bpf_dsq_peek(cpu + 1);
	if (head && (!have || head->scx.dsq_vtime < best))
		dsq = cpu + 1;
	if (dsq != (u64)-1 && scx_bpf_dsq_move_to_local(dsq)) {
		COUNT(dispatched);
		return;
	}
	if (prev && prev_ctx)
		keep_prev(prev, prev_ctx);
	else
		COUNT(empty);
}

/* The benchmark's baseline: the head of the FIFO, dispatched as a winner is. */
static __always_inline void dispatch_fifo(s32 cpu)
{
	for (int i = 0; i < DRAW_TRIES; i++) {
		struct task_struct *p;
		s32 pid;

		if (bpf_map_pop_elem(&fifo, &pid))
			return;
		p = bpf_task_from_pid(pid);
		if (!p)
			continue;
		/* One that may not run here waits in the global DSQ for a CPU that may. */
		if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
		else
			scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, 0);
		bpf_task_release(p);
		return;
	}
}

void BPF_STRUCT_OPS(lottery_dispatch, s32 cpu, struct task_struct *prev)
{
	if (fifo_baseline) {
		dispatch_fifo(cpu);
		return;
	}
	if (cpu < 0 || cpu >= nr_cpus)
		return;
	if (policy == LOTTERY_SCX_POLICY_STRIDE)
		dispatch_stride(cpu, prev);
	else
		dispatch_lottery(cpu, prev);
}

/* The task's statistics entry, made on first use. */
static __always_inline struct lottery_scx_task_stats *stats_of(struct task_struct *p)
{
	struct lottery_scx_task_stats *stats, fresh = {};
	u32 key = p->pid;

	stats = bpf_map_lookup_elem(&task_stats, &key);
	if (stats)
		return stats;
	fresh.tgid = p->tgid;
	bpf_map_update_elem(&task_stats, &key, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&task_stats, &key);
}

void BPF_STRUCT_OPS(lottery_running, struct task_struct *p)
{
	struct task_ctx *tctx = ctx_of(p);
	struct lottery_scx_task_stats *stats;
	u32 q;

	if (!tctx)
		return;
	tctx->exec_at_running = p->se.sum_exec_runtime;
	if (policy != LOTTERY_SCX_POLICY_STRIDE)
		return;
	/* Stride's winner is the DSQ's head, moved by the kernel: count it here. */
	stats = stats_of(p);
	if (stats)
		stats->wins++;
	q = tctx->queue;
	if (q <= LOTTERY_SCX_MAX_CPUS && tctx->pass > vtime_now[q])
		vtime_now[q] = tctx->pass;
}

void BPF_STRUCT_OPS(lottery_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = ctx_of(p);
	struct lottery_scx_task_stats *stats;
	u64 ran;

	if (!tctx)
		return;
	ran = p->se.sum_exec_runtime - tctx->exec_at_running;
	tctx->pass += ran * STRIDE_ONE / draw_tickets(tctx);
	/* Compensation: a task that blocked after using a fraction f of its
	 * slice holds 1/f times its tickets until it next runs. */
	tctx->comp = LOTTERY_SCX_COMP_UNIT;
	if (compensation && !runnable && ran < slice_ns) {
		u64 f = ran ?: 1;

		tctx->comp = slice_ns * LOTTERY_SCX_COMP_UNIT / f;
		if (tctx->comp > MAX_COMPENSATION * LOTTERY_SCX_COMP_UNIT)
			tctx->comp = MAX_COMPENSATION * LOTTERY_SCX_COMP_UNIT;
	}

	stats = stats_of(p);
	if (!stats)
		return;
	stats->runtime_ns += ran;
	stats->tickets = currency_value(tctx);
}

/* No longer runnable (asleep, exiting, or leaving this scheduler): it no
 * longer draws on its currency's funding. */
void BPF_STRUCT_OPS(lottery_quiescent, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *tctx = ctx_of(p);

	if (tctx)
		leave_currency(tctx);
}

s32 BPF_STRUCT_OPS(lottery_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!tctx)
		return -ENOMEM;
	tctx->tree = -1;
	tctx->comp = LOTTERY_SCX_COMP_UNIT;
	tctx->queue = -1;
	return 0;
}

s32 BPF_STRUCT_OPS(lottery_cgroup_init, struct cgroup *cgrp, struct scx_cgroup_init_args *args)
{
	struct cgroup_currency cc = { .weight = args->weight };
	u64 id = cgrp->kn->id;

	bpf_map_update_elem(&cgroup_currencies, &id, &cc, BPF_ANY);
	return 0;
}

void BPF_STRUCT_OPS(lottery_cgroup_exit, struct cgroup *cgrp)
{
	u64 id = cgrp->kn->id;

	bpf_map_delete_elem(&cgroup_currencies, &id);
}

/* The new weight funds the cgroup's runnable tasks from their next enqueue on. */
void BPF_STRUCT_OPS(lottery_cgroup_set_weight, struct cgroup *cgrp, u32 weight)
{
	struct cgroup_currency fresh = { .weight = weight }, *cc;
	u64 id = cgrp->kn->id;

	cc = bpf_map_lookup_elem(&cgroup_currencies, &id);
	if (cc)
		cc->weight = weight;
	else
		bpf_map_update_elem(&cgroup_currencies, &id, &fresh, BPF_ANY);
}

s32 BPF_STRUCT_OPS(lottery_init)
{
	if (policy != LOTTERY_SCX_POLICY_STRIDE)
		return 0;
	/* One vtime DSQ per queue: the shared one (id 0) and CPU c's (c + 1). */
	for (u32 i = 0; i <= LOTTERY_SCX_MAX_CPUS; i++) {
		s32 err;

		if (i > nr_cpus)
			break;
		err = scx_bpf_create_dsq(i, -1);
		if (err)
			return err;
	}
	return 0;
}

void BPF_STRUCT_OPS(lottery_exit, struct scx_exit_info *ei)
{
	exit_info.exit_code = ei->exit_code;
	bpf_probe_read_kernel_str(exit_info.reason, sizeof(exit_info.reason), ei->reason);
	bpf_probe_read_kernel_str(exit_info.msg, sizeof(exit_info.msg), ei->msg);
	/* Last: the loader takes a non-zero kind to mean the rest is written. */
	asm volatile("" ::: "memory");
	exit_info.kind = ei->kind;
}

#define LOTTERY_OPS(ops_flags)                                      \
	{                                                           \
		.select_cpu = (void *)lottery_select_cpu,           \
		.enqueue = (void *)lottery_enqueue,                 \
		.dequeue = (void *)lottery_dequeue,                 \
		.dispatch = (void *)lottery_dispatch,               \
		.running = (void *)lottery_running,                 \
		.stopping = (void *)lottery_stopping,               \
		.quiescent = (void *)lottery_quiescent,             \
		.init_task = (void *)lottery_init_task,             \
		.cgroup_init = (void *)lottery_cgroup_init,         \
		.cgroup_exit = (void *)lottery_cgroup_exit,         \
		.cgroup_set_weight = (void *)lottery_cgroup_set_weight, \
		.init = (void *)lottery_init,                       \
		.exit = (void *)lottery_exit,                       \
		.flags = (ops_flags),                               \
		.name = "lottery",                                  \
	}

/* The loader creates one of the two: every fair task, or only those it
 * switches to SCHED_EXT. */
SEC(".struct_ops")
struct sched_ext_ops lottery_whole = LOTTERY_OPS(0);

SEC(".struct_ops")
struct sched_ext_ops lottery_partial = LOTTERY_OPS(SCX_OPS_SWITCH_PARTIAL);
