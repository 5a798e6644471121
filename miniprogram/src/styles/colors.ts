/**
 * The few token colours that must be JS values (a Switch's `color`, showModal's `confirmColor`).
 * They mirror styles/tokens.css (--brand-strong, --danger); tests/weapp/a11y-props.weapp.test.ts
 * checks that they still match.
 */
export const COLOR = {
  /** --brand-strong: switches, and green text on white at 5.6:1 */
  brandStrong: '#06783B',
  /** --danger: a destructive modal's confirm (删除, 解除绑定) at 5.6:1, not WeUI's #FA5151 (3.3:1) */
  danger: '#C62828',
} as const
