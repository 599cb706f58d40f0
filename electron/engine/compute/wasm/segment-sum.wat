;; UnsortedSegmentSum of float32 rows on the wasm backend's heap (unsorted-segment-sum.ts):
;; out[ids[r]] += x[r] for every row r whose id lies in [0, segments), out already zeroed. Four
;; numbers per instruction (f32x4), a row's last inner % 4 one by one. A float32 sum rounded once
;; equals the JavaScript loop's (a double sum of two float32s rounded to float32), so every
;; number is that loop's, bit for bit.
(module
  (import "env" "memory" (memory 0))

  (func (export "segment_sum") (param $x i32) (param $ids i32) (param $out i32) (param $rows i32) (param $inner i32) (param $segments i32)
    (local $r i32) (local $s i32) (local $src i32) (local $dst i32) (local $j i32) (local $bytes i32) (local $vectors i32)
    (local.set $bytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s (i32.load (i32.add (local.get $ids) (i32.shl (local.get $r) (i32.const 2)))))
        ;; Unsigned: a negative id reads as a huge one, skipped as in TensorFlow.
        (if (i32.lt_u (local.get $s) (local.get $segments))
          (then
            (local.set $src (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $bytes))))
            (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $s) (local.get $bytes))))
            (local.set $j (i32.const 0))
            (block $whole
              (loop $vector
                (br_if $whole (i32.ge_u (local.get $j) (local.get $vectors)))
                (v128.store (i32.add (local.get $dst) (local.get $j))
                  (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $j))) (v128.load (i32.add (local.get $src) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $vector)))
            (block $tail
              (loop $number
                (br_if $tail (i32.ge_u (local.get $j) (local.get $bytes)))
                (f32.store (i32.add (local.get $dst) (local.get $j))
                  (f32.add (f32.load (i32.add (local.get $dst) (local.get $j))) (f32.load (i32.add (local.get $src) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $number)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
