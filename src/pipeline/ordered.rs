//! Work done in parallel, results handed on in order: the files of a run are linted on several
//! threads, and each report is written as soon as every earlier one has been, so that a run
//! holds only a few reports at a time however many files it reads.
//!
//! Memory bound: at most `window` results exist at once — being computed, or finished and
//! waiting for an earlier one — so a run holds at most `window` files (their texts, models
//! and reports), whatever the number of inputs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
///
/// A worker that may go on (the usual case) reads two atomics and takes no lock; only one
/// that must wait locks the mutex, and the writer wakes waiting workers only when there
/// are any: a wake-up is a system call, paid only when it wakes someone.
struct Window {
    /// How many results have been handed on.
    done: AtomicUsize,
    /// Whether the run stopped.
    stopped: AtomicBool,
    /// How many workers wait in [`Window::enter`]; changed under `lock`.
    sleepers: AtomicUsize,
    lock: Mutex<()>,
    moved: Condvar,
    size: usize,
}

impl Window {
    fn new(size: usize) -> Self {
        Self {
            done: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
            sleepers: AtomicUsize::new(0),
            lock: Mutex::new(()),
            moved: Condvar::new(),
            size: size.max(1),
        }
    }

    /// Whether result `index` may be computed now.
    fn admits(&self, index: usize) -> bool {
        index < self.done.load(Ordering::SeqCst).saturating_add(self.size)
    }

    /// Waits until result `index` may be computed; false when the run stopped.
    fn enter(&self, index: usize) -> bool {
        if self.stopped.load(Ordering::SeqCst) {
            return false;
        }
        if self.admits(index) {
            return true;
        }
        let mut guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        // Counted before the state is read again: the writer, which changes the state
        // before it reads the count, then either sees this sleeper or is seen by it.
        self.sleepers.fetch_add(1, Ordering::SeqCst);
        while !self.stopped.load(Ordering::SeqCst) && !self.admits(index) {
            guard = self
                .moved
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
        }
        self.sleepers.fetch_sub(1, Ordering::SeqCst);
        !self.stopped.load(Ordering::SeqCst)
    }

    /// Records that `done` results have been handed on, waking the workers that wait.
    fn advance(&self, done: usize) {
        self.done.store(done, Ordering::SeqCst);
        self.wake();
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.wake();
    }

    fn wake(&self) {
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            // Taking the lock waits for a worker that counted itself to be inside `wait`.
            let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
            self.moved.notify_all();
        }
    }

    /// Takes the next index for the writer's own thread, when the window admits it now and
    /// the run goes on: the writer never waits to enter.
    fn claim(&self, next: &AtomicUsize, n: usize) -> Option<usize> {
        let mut index = next.load(Ordering::SeqCst);
        loop {
            if index >= n || self.stopped.load(Ordering::SeqCst) || !self.admits(index) {
                return None;
            }
            match next.compare_exchange_weak(index, index + 1, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => return Some(index),
                Err(now) => index = now,
            }
        }
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
/// The calling thread is one of the `threads`: between two writes it computes a result of
/// its own when the window admits one, and takes what the other threads finished without
/// waiting; it sleeps only when it has nothing to compute and nothing to write. Indexes
/// are taken in increasing order, so the one the writer waits for is always being
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
    let window = Window::new(window);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (send, receive) = mpsc::channel::<(usize, T)>();
        for _ in 1..threads.clamp(1, n.max(1)) {
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
        let _stop = StopOnPanic(&window);
        let mut order = InOrder::default();
        let mut write = |order: &mut InOrder<T>, index: usize, result: T| {
            let written = order.push(index, result, sink);
            if written.is_err() {
                window.stop();
            } else {
                window.advance(order.done());
            }
            written
        };
        while order.done() < n {
            while let Ok((index, result)) = receive.try_recv() {
                write(&mut order, index, result)?;
            }
            if let Some(index) = window.claim(&next, n) {
                write(&mut order, index, work(index))?;
                continue;
            }
            if order.done() >= n {
                break;
            }
            // Nothing to compute: wait for another thread's result. None comes when they
            // all stopped (one panicked; the scope then passes its panic on).
            match receive.recv() {
                Ok((index, result)) => write(&mut order, index, result)?,
                Err(_) => break,
            }
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
