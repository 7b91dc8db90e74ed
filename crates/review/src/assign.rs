//! Automatic assignment of reviewers (or area chairs) to submissions.
//!
//! The problem: every submission needs `per_submission` people, every person takes at most
//! their `load`, a conflict forbids a pair outright, and bids make a pair more or less wanted.
//! Among the assignments that fill the most slots, we want the one with the largest total bid
//! weight. That is a min-cost max-flow problem on source → submission (capacity
//! `per_submission`) → person (capacity 1, cost −weight) → sink (capacity `load`), solved here
//! by successive shortest paths with Dijkstra on reduced costs (Johnson potentials, the
//! initial ones from Bellman–Ford because bid costs may be negative). Integral capacities give
//! an integral optimum, so the flow is an assignment. Our own ~100 lines: the crates.io
//! assignment solvers (`pathfinding`'s Kuhn–Munkres) solve one-to-one matching only, and
//! the min-cost-flow crates we found bind C++ libraries. Optimality is tested against brute
//! force on small cases.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One assignment run.
#[derive(Debug, Clone)]
pub struct Problem {
    pub submissions: usize,
    pub people: usize,
    pub per_submission: usize,
    /// Most submissions each person takes (one entry per person).
    pub load: Vec<usize>,
    /// `weight[s][p]`: `None` forbids the pair (a conflict), else how much it is wanted.
    pub weight: Vec<Vec<Option<i64>>>,
    /// Pairs already assigned (kept; they use up capacity on both sides).
    pub fixed: Vec<(usize, usize)>,
}

/// The result: new pairs (fixed ones not repeated), their total weight, and the submissions
/// still short of people with how many are missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    pub pairs: Vec<(usize, usize)>,
    pub total_weight: i64,
    pub unfilled: Vec<(usize, usize)>,
}

/// What a bid says, as the reviewer picks it, and its weight in the assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bid {
    Eager,
    Willing,
    Neutral,
    Reluctant,
}

impl Bid {
    pub const ALL: [Bid; 4] = [Bid::Eager, Bid::Willing, Bid::Neutral, Bid::Reluctant];

    pub fn weight(self) -> i64 {
        match self {
            Bid::Eager => 3,
            Bid::Willing => 1,
            Bid::Neutral => 0,
            Bid::Reluctant => -3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bid::Eager => "eager",
            Bid::Willing => "willing",
            Bid::Neutral => "neutral",
            Bid::Reluctant => "reluctant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Bid::Eager => "Eager to review",
            Bid::Willing => "Willing",
            Bid::Neutral => "No preference",
            Bid::Reluctant => "Rather not",
        }
    }

    pub fn parse(s: &str) -> Option<Bid> {
        Bid::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

struct Edge {
    to: usize,
    cap: i64,
    cost: i64,
}

struct Graph {
    edges: Vec<Edge>,
    adj: Vec<Vec<usize>>,
}

impl Graph {
    fn new(n: usize) -> Graph {
        Graph {
            edges: Vec::new(),
            adj: vec![Vec::new(); n],
        }
    }

    fn add(&mut self, from: usize, to: usize, cap: i64, cost: i64) -> usize {
        let id = self.edges.len();
        self.edges.push(Edge { to, cap, cost });
        self.adj[from].push(id);
        self.edges.push(Edge {
            to: from,
            cap: 0,
            cost: -cost,
        });
        self.adj[to].push(id + 1);
        id
    }
}

/// Solves `problem`. Deterministic: ties go to the lower submission and person indices.
pub fn solve(problem: &Problem) -> Solution {
    let (ns, np) = (problem.submissions, problem.people);
    let source = ns + np;
    let sink = source + 1;
    let mut g = Graph::new(ns + np + 2);
    let mut need = vec![problem.per_submission as i64; ns];
    let mut cap = problem.load.iter().map(|&l| l as i64).collect::<Vec<_>>();
    cap.resize(np, 0);
    let mut fixed = vec![vec![false; np]; ns];
    for &(s, p) in &problem.fixed {
        if s < ns && p < np && !fixed[s][p] {
            fixed[s][p] = true;
            need[s] -= 1;
            cap[p] -= 1;
        }
    }
    for (s, n) in need.iter().enumerate() {
        if *n > 0 {
            g.add(source, s, *n, 0);
        }
    }
    let mut pair_edges = Vec::new();
    for (s, fixed_row) in fixed.iter().enumerate() {
        for (p, &is_fixed) in fixed_row.iter().enumerate() {
            let w = problem
                .weight
                .get(s)
                .and_then(|row| row.get(p))
                .copied()
                .flatten();
            if let (Some(w), false) = (w, is_fixed) {
                pair_edges.push((g.add(s, ns + p, 1, -w), s, p, w));
            }
        }
    }
    for (p, c) in cap.iter().enumerate() {
        if *c > 0 {
            g.add(ns + p, sink, *c, 0);
        }
    }
    min_cost_max_flow(&mut g, source, sink);
    let mut pairs = Vec::new();
    let mut total_weight = 0;
    for (e, s, p, w) in pair_edges {
        if g.edges[e].cap == 0 {
            pairs.push((s, p));
            total_weight += w;
        }
    }
    let mut got = vec![0usize; ns];
    for &(s, _) in &pairs {
        got[s] += 1;
    }
    for &(s, p) in &problem.fixed {
        if s < ns && p < np {
            got[s] += 1;
        }
    }
    let unfilled = (0..ns)
        .filter(|&s| got[s] < problem.per_submission)
        .map(|s| (s, problem.per_submission - got[s]))
        .collect();
    Solution {
        pairs,
        total_weight,
        unfilled,
    }
}

fn min_cost_max_flow(g: &mut Graph, source: usize, sink: usize) {
    let n = g.adj.len();
    const INF: i64 = i64::MAX / 4;
    // Bellman–Ford for the first potentials (the graph has no negative cycle: it is a DAG).
    let mut pot = vec![INF; n];
    pot[source] = 0;
    for _ in 0..n {
        let mut changed = false;
        for u in 0..n {
            if pot[u] == INF {
                continue;
            }
            for &e in &g.adj[u] {
                let edge = &g.edges[e];
                if edge.cap > 0 && pot[u] + edge.cost < pot[edge.to] {
                    pot[edge.to] = pot[u] + edge.cost;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for p in pot.iter_mut() {
        if *p == INF {
            *p = 0;
        }
    }
    loop {
        let mut dist = vec![INF; n];
        let mut prev: Vec<Option<usize>> = vec![None; n];
        dist[source] = 0;
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((0i64, source)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            for &e in &g.adj[u] {
                let edge = &g.edges[e];
                if edge.cap <= 0 {
                    continue;
                }
                let nd = d + edge.cost + pot[u] - pot[edge.to];
                if nd < dist[edge.to] {
                    dist[edge.to] = nd;
                    prev[edge.to] = Some(e);
                    heap.push(Reverse((nd, edge.to)));
                }
            }
        }
        if dist[sink] == INF {
            return;
        }
        for v in 0..n {
            if dist[v] < INF {
                pot[v] += dist[v];
            }
        }
        // Bottleneck along the path, then push.
        let mut f = INF;
        let mut v = sink;
        while let Some(e) = prev[v] {
            f = f.min(g.edges[e].cap);
            v = g.edges[e ^ 1].to;
        }
        let mut v = sink;
        while let Some(e) = prev[v] {
            g.edges[e].cap -= f;
            g.edges[e ^ 1].cap += f;
            v = g.edges[e ^ 1].to;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for tests of a pure function).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// Best (filled slots, total weight) by trying every choice of people per submission.
    fn brute_force(p: &Problem) -> (usize, i64) {
        fn go(p: &Problem, s: usize, load: &mut Vec<usize>, filled: usize, w: i64) -> (usize, i64) {
            if s == p.submissions {
                return (filled, w);
            }
            let mut best = (0usize, i64::MIN);
            let subsets = 1u32 << p.people;
            for mask in 0..subsets {
                if mask.count_ones() as usize > p.per_submission {
                    continue;
                }
                let members: Vec<usize> = (0..p.people).filter(|i| mask & (1 << i) != 0).collect();
                let Some(weights) = members
                    .iter()
                    .map(|&i| p.weight[s][i].filter(|_| load[i] < p.load[i]))
                    .collect::<Option<Vec<i64>>>()
                else {
                    continue;
                };
                for &i in &members {
                    load[i] += 1;
                }
                let r = go(
                    p,
                    s + 1,
                    load,
                    filled + members.len(),
                    w + weights.iter().sum::<i64>(),
                );
                for &i in &members {
                    load[i] -= 1;
                }
                if r.0 > best.0 || (r.0 == best.0 && r.1 > best.1) {
                    best = r;
                }
            }
            best
        }
        go(p, 0, &mut vec![0; p.people], 0, 0)
    }

    fn check(sol: &Solution, p: &Problem) {
        let mut load = vec![0; p.people];
        let mut per = vec![0; p.submissions];
        for &(s, q) in &sol.pairs {
            assert!(
                p.weight[s][q].is_some(),
                "conflicted pair ({s},{q}) assigned"
            );
            load[q] += 1;
            per[s] += 1;
        }
        assert!(load.iter().zip(&p.load).all(|(got, max)| got <= max));
        assert!(per.iter().all(|&n| n <= p.per_submission));
        let mut pairs = sol.pairs.clone();
        pairs.sort();
        pairs.dedup();
        assert_eq!(pairs.len(), sol.pairs.len(), "a pair assigned twice");
    }

    #[test]
    fn matches_brute_force_on_random_small_cases() {
        let mut rng = Lcg(7);
        for case in 0..400 {
            let submissions = 1 + rng.next(3) as usize;
            let people = 1 + rng.next(4) as usize;
            let per_submission = 1 + rng.next(2) as usize;
            let load = (0..people).map(|_| rng.next(3) as usize).collect();
            let weight = (0..submissions)
                .map(|_| {
                    (0..people)
                        .map(|_| match rng.next(6) {
                            0 => None,
                            k => Some(Bid::ALL[(k as usize - 1) % 4].weight()),
                        })
                        .collect()
                })
                .collect();
            let p = Problem {
                submissions,
                people,
                per_submission,
                load,
                weight,
                fixed: vec![],
            };
            let sol = solve(&p);
            check(&sol, &p);
            let (filled, weight) = brute_force(&p);
            assert_eq!(sol.pairs.len(), filled, "case {case}: {p:?}");
            assert_eq!(sol.total_weight, weight, "case {case}: {p:?}");
            let missing: usize = sol.unfilled.iter().map(|u| u.1).sum();
            assert_eq!(missing, submissions * per_submission - filled);
        }
    }

    #[test]
    fn conflicts_are_hard_and_bids_decide() {
        // Two submissions, two people, one review each: person 0 conflicts with submission 0.
        let p = Problem {
            submissions: 2,
            people: 2,
            per_submission: 1,
            load: vec![1, 1],
            weight: vec![vec![None, Some(-3)], vec![Some(0), Some(3)]],
            fixed: vec![],
        };
        let sol = solve(&p);
        assert_eq!(sol.pairs, vec![(0, 1), (1, 0)]);
        assert!(sol.unfilled.is_empty());
    }

    #[test]
    fn fixed_pairs_use_capacity_and_are_not_repeated() {
        let p = Problem {
            submissions: 2,
            people: 2,
            per_submission: 1,
            load: vec![1, 1],
            weight: vec![vec![Some(3), Some(0)], vec![Some(3), Some(0)]],
            fixed: vec![(1, 0)],
        };
        let sol = solve(&p);
        assert_eq!(sol.pairs, vec![(0, 1)]);
        assert_eq!(sol.total_weight, 0);
    }

    #[test]
    fn reports_what_it_could_not_fill() {
        let p = Problem {
            submissions: 1,
            people: 2,
            per_submission: 3,
            load: vec![5, 5],
            weight: vec![vec![Some(0), None]],
            fixed: vec![],
        };
        assert_eq!(solve(&p).unfilled, vec![(0, 2)]);
    }
}
