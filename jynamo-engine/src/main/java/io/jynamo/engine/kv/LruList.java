package io.jynamo.engine.kv;

import java.util.Arrays;

/**
 * An intrusive doubly linked list over block ids 0..n-1, oldest first: O(1) add, remove and
 * remove-oldest with two int arrays and no allocation.
 */
final class LruList {
    private static final int NONE = -1;
    private final int[] prev;
    private final int[] next;
    private final boolean[] member;
    private int head = NONE;
    private int tail = NONE;
    private int size;

    LruList(int capacity) {
        prev = new int[capacity];
        next = new int[capacity];
        member = new boolean[capacity];
        Arrays.fill(prev, NONE);
        Arrays.fill(next, NONE);
    }

    int size() {
        return size;
    }

    boolean contains(int id) {
        return member[id];
    }

    void addNewest(int id) {
        if (member[id]) {
            throw new IllegalStateException("block " + id + " is already on the LRU list");
        }
        member[id] = true;
        prev[id] = tail;
        next[id] = NONE;
        if (tail == NONE) {
            head = id;
        } else {
            next[tail] = id;
        }
        tail = id;
        size++;
    }

    void remove(int id) {
        if (!member[id]) {
            throw new IllegalStateException("block " + id + " is not on the LRU list");
        }
        int p = prev[id];
        int n = next[id];
        if (p == NONE) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail = p;
        } else {
            prev[n] = p;
        }
        prev[id] = NONE;
        next[id] = NONE;
        member[id] = false;
        size--;
    }

    int removeOldest() {
        int id = head;
        remove(id);
        return id;
    }
}
