;; GELU and its derivative (compute/gelu.ts) on the wasm backend's heap, two numbers per step in
;; f64x2: the same double-precision formula as the reference (Abramowitz & Stegun 7.1.26 for erf),
;; rounded to float32 on store. exp(-z^2) by range reduction (a = k ln2 + r, |r| <= ln2 / 2) and
;; its Taylor polynomial to r^11 (relative error < 1e-14), 2^k from the exponent bits.
(module
  (import "env" "memory" (memory 0))

  ;; [g, g'] of two numbers.
  (func $pair (param $x v128) (result v128 v128)
    (local $z v128) (local $t v128) (local $a v128) (local $k v128) (local $r v128)
    (local $p v128) (local $e v128) (local $tail v128) (local $cdf v128) (local $live v128)
    ;; z = |x| / sqrt 2; t = 1 / (1 + P z)
    (local.set $z (f64x2.mul (f64x2.abs (local.get $x)) (f64x2.splat (f64.const 0x1.6a09e667f3bcdp-1))))
    (local.set $t (f64x2.div (f64x2.splat (f64.const 1))
      (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.splat (f64.const 0.3275911)) (local.get $z)))))
    ;; a = -z^2; exp is computed at max(a, -708) (2^k stays a normal double) and set to 0 where
    ;; Math.exp underflows to 0, so that every number, sign of zero included, is the reference's.
    (local.set $a (f64x2.neg (f64x2.mul (local.get $z) (local.get $z))))
    (local.set $live (f64x2.ge (local.get $a) (f64x2.splat (f64.const -745.1332191019412))))
    (local.set $a (f64x2.max (local.get $a) (f64x2.splat (f64.const -708))))
    (local.set $k (f64x2.nearest (f64x2.mul (local.get $a) (f64x2.splat (f64.const 0x1.71547652b82fep0)))))
    (local.set $r (f64x2.sub
      (f64x2.sub (local.get $a) (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.62e42feep-1))))
      (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33)))))
    ;; p = sum r^i / i!, i = 0..11 (Horner)
    (local.set $p (f64x2.splat (f64.const 0x1.ae64567f544e4p-26)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.27e4fb7789f5cp-22))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.71de3a556c734p-19))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.a01a01a01a01ap-16))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.a01a01a01a01ap-13))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.6c16c16c16c17p-10))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.1111111111111p-7))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.5555555555555p-5))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0x1.5555555555555p-3))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.5))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1))))
    ;; e = p * 2^k (k + 1023 in the exponent field), 0 where the reference's exp is
    (local.set $e (v128.and (local.get $live) (f64x2.mul (local.get $p)
      (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k))) (i64x2.splat (i64.const 1023))) (i32.const 52)))))
    ;; tail = 0.5 * poly(t) * e, the normal tail beyond |x|; cdf = x >= 0 ? 1 - tail : tail
    (local.set $tail (f64x2.splat (f64.const 1.061405429)))
    (local.set $tail (f64x2.add (f64x2.mul (local.get $tail) (local.get $t)) (f64x2.splat (f64.const -1.453152027))))
    (local.set $tail (f64x2.add (f64x2.mul (local.get $tail) (local.get $t)) (f64x2.splat (f64.const 1.421413741))))
    (local.set $tail (f64x2.add (f64x2.mul (local.get $tail) (local.get $t)) (f64x2.splat (f64.const -0.284496736))))
    (local.set $tail (f64x2.add (f64x2.mul (local.get $tail) (local.get $t)) (f64x2.splat (f64.const 0.254829592))))
    (local.set $tail (f64x2.mul (f64x2.mul (f64x2.mul (f64x2.splat (f64.const 0.5)) (local.get $tail)) (local.get $t)) (local.get $e)))
    (local.set $cdf (v128.bitselect
      (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $tail))
      (local.get $tail)
      (f64x2.ge (local.get $x) (f64x2.splat (f64.const 0)))))
    (f64x2.mul (local.get $x) (local.get $cdf))
    (f64x2.add (local.get $cdf) (f64x2.mul (f64x2.mul (local.get $x) (f64x2.splat (f64.const 0x1.9884533d43651p-2))) (local.get $e))))

  ;; g[i], d[i] for the n float32 numbers at byte offsets x, g, d.
  (func (export "gelu") (param $x i32) (param $g i32) (param $d i32) (param $n i32)
    (local $i i32) (local $o i32) (local $gv v128) (local $dv v128)
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (call $pair (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (local.get $o)))))
        (local.set $dv)
        (local.set $gv)
        (v128.store64_lane 0 (i32.add (local.get $g) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $gv)))
        (v128.store64_lane 0 (i32.add (local.get $d) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $dv)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; An odd last number: one lane.
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (call $pair (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $x) (local.get $o)))))
        (local.set $dv)
        (local.set $gv)
        (v128.store32_lane 0 (i32.add (local.get $g) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $gv)))
        (v128.store32_lane 0 (i32.add (local.get $d) (local.get $o)) (f32x4.demote_f64x2_zero (local.get $dv)))))))
