//! Work done in parallel, results handed on in order: the files of a run are linted on several
//! threads, and each report is written as soon as every earlier one has been, so that a run
//! holds only a few reports at a time however many files it reads.
//!
//! Memory bound: at most `window` results exist at once — being computed, or finished and
//! waiting for an earlier one — so a run holds at most `window` files (their texts, models
//! and reports), whatever the number of inputs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex, PoisonError};

/// Results that arrive in any order, handed on in the order of their indexes.
#[derive(Debug)]
pub struct InOrder<T> {
    /// The index of the next result to hand on.
    next: usize,
    /// Finished results waiting for an earlier one.
    waiting: BTreeMap<usize, T>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        Self {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }
}

impl<T> InOrder<T> {
    /// How many results have been handed on.
    #[must_use]
    pub const fn done(&self) -> usize {
        self.next
    }

    /// Takes result `index`, and hands `sink` every result that is now next in order.
    ///
    /// # Errors
    /// The first error of `sink`; the result it failed on is dropped.
    pub fn push<E>(
        &mut self,
        index: usize,
        result: T,
        sink: &mut dyn FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        if index != self.next {
            self.waiting.insert(index, result);
            return Ok(());
        }
        sink(result)?;
        self.next += 1;
        while let Some(result) = self.waiting.remove(&self.next) {
            sink(result)?;
            self.next += 1;
        }
        Ok(())
    }
}

/// How far ahead of the writer the workers may run.
struct Window {
    /// How many results have been handed on, and whether the run stopped.
    state: Mutex<(usize, bool)>,
    moved: Condvar,
    size: usize,
}

impl Window {
    /// Waits until result `index` may be computed; false when the run stopped.
    fn enter(&self, index: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.1 && index >= state.0 + self.size {
            state = self
                .moved
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !state.1
    }

    fn advance(&self, done: usize) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0 = done;
        self.moved.notify_all();
    }

    fn stop(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.moved.notify_all();
    }
}

/// Stops the run when a worker panics, so that no other worker waits for its result.
struct StopOnPanic<'a>(&'a Window);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// Computes `work(0)` … `work(n - 1)` on `threads` threads and hands each result to `sink`, on
/// the calling thread, in the order of the indexes, with at most `window` results in memory
/// at once (see the module's memory bound).
///
/// Indexes are taken in increasing order, so the one the writer waits for is always being
/// computed: the window never stalls the run.
///
/// # Errors
/// The first error of `sink`, which stops the run.
pub fn run<T: Send, E>(
    n: usize,
    threads: usize,
    window: usize,
    work: &(dyn Fn(usize) -> T + Sync),
    sink: &mut dyn FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let window = Window {
        state: Mutex::new((0, false)),
        moved: Condvar::new(),
        size: window.max(1),
    };
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (send, receive) = mpsc::channel::<(usize, T)>();
        for _ in 0..threads.clamp(1, n.max(1)) {
            let send = send.clone();
            let (window, next) = (&window, &next);
            scope.spawn(move || loop {
                let _stop = StopOnPanic(window);
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= n || !window.enter(index) {
                    break;
                }
                if send.send((index, work(index))).is_err() {
                    break;
                }
            });
        }
        drop(send);
        let mut order = InOrder::default();
        for (index, result) in receive {
            if let Err(e) = order.push(index, result, sink) {
                window.stop();
                return Err(e);
            }
            window.advance(order.done());
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arriving_out_of_order_are_written_in_order() {
        let mut order = InOrder::default();
        let mut written = Vec::new();
        let mut sink = |r: &'static str| -> Result<(), ()> {
            written.push(r);
            Ok(())
        };
        order.push(2, "c", &mut sink).expect("push");
        order.push(1, "b", &mut sink).expect("push");
        assert_eq!(order.done(), 0);
        order.push(0, "a", &mut sink).expect("push");
        assert_eq!(order.done(), 3);
        order.push(4, "e", &mut sink).expect("push");
        order.push(3, "d", &mut sink).expect("push");
        assert_eq!(written, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn a_parallel_run_writes_in_order_within_its_window() {
        let live = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let work = |i: usize| {
            let now = live.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            // Later indexes finish first now and then.
            if i % 3 == 0 {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            i
        };
        let mut written = Vec::new();
        run::<usize, ()>(50, 4, 6, &work, &mut |i| {
            live.fetch_sub(1, Ordering::SeqCst);
            written.push(i);
            Ok(())
        })
        .expect("run");
        assert_eq!(written, (0..50).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 6);
    }

    #[test]
    fn an_error_of_the_writer_stops_the_run() {
        let computed = AtomicUsize::new(0);
        let work = |i: usize| {
            computed.fetch_add(1, Ordering::SeqCst);
            i
        };
        let result = run(1000, 2, 4, &work, &mut |i| {
            if i == 5 {
                Err(i)
            } else {
                Ok(())
            }
        });
        assert_eq!(result, Err(5));
        assert!(computed.load(Ordering::SeqCst) < 1000);
    }

    #[test]
    fn no_work_writes_nothing() {
        let mut written = 0;
        run::<(), ()>(0, 2, 4, &|_| (), &mut |()| {
            written += 1;
            Ok(())
        })
        .expect("run");
        assert_eq!(written, 0);
    }
}
