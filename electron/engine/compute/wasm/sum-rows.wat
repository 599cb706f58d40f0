;; Sum over the rows of a float32 [rows, width] matrix on the wasm backend's heap (sum-leading.ts):
;; out[j] = sum over r of x[r, j], accumulated in float64 in row order and rounded once to float32,
;; exactly as the JavaScript loop does (the same additions in the same order), two columns per
;; instruction (f64x2). `acc` is width float64s of scratch.
(module
  (import "env" "memory" (memory 0))

  (func (export "sum_rows") (param $x i32) (param $out i32) (param $acc i32) (param $rows i32) (param $width i32)
    (local $r i32) (local $j i32) (local $src i32) (local $pairs i32) (local $a i32)
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (local.get $width)))
        (f64.store (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $zero)))
    (local.set $pairs (i32.and (local.get $width) (i32.const -2)))
    (local.set $src (local.get $x))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $whole
          (loop $pair
            (br_if $whole (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
            (v128.store (local.get $a)
              (f64x2.add (v128.load (local.get $a))
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $pair)))
        ;; An odd width's last column.
        (if (i32.lt_u (local.get $j) (local.get $width))
          (then
            (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $a)
              (f64.add (f64.load (local.get $a)) (f64.promote_f32 (f32.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))))))
        (local.set $src (i32.add (local.get $src) (i32.shl (local.get $width) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
    (local.set $j (i32.const 0))
    (block $written
      (loop $write
        (br_if $written (i32.ge_u (local.get $j) (local.get $width)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $write))))
)
