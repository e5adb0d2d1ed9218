package org.arca.server.dicom;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts stores in flight and closes for new ones on shutdown, so that a stop finishes every
 * store it has started and starts no new one. Thread-safe.
 */
public final class WriteGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private int inFlight;

    /** Registers a store; returns false when the gate is closed and the store must be refused. */
    public boolean enter() {
        lock.lock();
        try {
            if (!open.get()) {
                return false;
            }
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    public void exit() {
        lock.lock();
        try {
            inFlight--;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isOpen() {
        return open.get();
    }

    /** Closes the gate and waits until the stores in flight have finished; returns how many remain. */
    public int closeAndAwait(long timeoutMs) throws InterruptedException {
        open.set(false);
        lock.lock();
        try {
            long remainingNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (inFlight > 0 && remainingNanos > 0) {
                remainingNanos = idle.awaitNanos(remainingNanos);
            }
            return inFlight;
        } finally {
            lock.unlock();
        }
    }
}
