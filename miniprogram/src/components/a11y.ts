/**
 * Accessibility props that work on both platforms, spread onto Taro components:
 *
 *   <View className='cell' onClick={open} {...pressable('编辑抬头 武汉某某公司')}>
 *   <Input value={v} onInput={…} {...inputLabel('纳税人识别号')} />
 *
 * weapp reads `aria-role` / `aria-label` (WeChat's 读屏 attributes; config/a11y-attrs.plugin.js
 * adds them to Taro's templates, which otherwise drop them). Taro H5 renders web components
 * (taro-view-core …): `role`, `aria-*` and `tabIndex` reach the DOM as attributes, and an Input's
 * inner <input> only gets what is passed through `nativeProps`. `aria-role` is not valid HTML
 * (axe flags it), so each platform gets only its own spelling.
 */

const isH5 = process.env.TARO_ENV === 'h5'

export type A11yRole = 'button' | 'link' | 'radio' | 'checkbox' | 'switch' | 'tab' | 'option'

export interface PressableState {
  /** radio / tab / option: the chosen one */
  selected?: boolean
  /** checkbox / switch / radio */
  checked?: boolean
  disabled?: boolean
  /** a button that folds and unfolds a part (更多信息, an FAQ answer) */
  expanded?: boolean
}

type A11yProps = Record<string, string | number | boolean | Record<string, string>>

/**
 * A clickable element: its role, its accessible name, its state, and (H5) keyboard focus.
 * `label` must begin with the words shown (a voice-control user says what they see; axe's
 * label-content-name-mismatch); pass '' when the element's own text already names it.
 */
export function pressable(label: string, role: A11yRole = 'button', state: PressableState = {}): A11yProps {
  const props: A11yProps = label ? { 'aria-label': label } : {}
  if (isH5) {
    props.role = role
    props.tabIndex = state.disabled ? -1 : 0
  } else {
    props['aria-role'] = role
  }
  // aria-selected is only valid on tab / option; a radio says it with aria-checked
  if (state.selected !== undefined) {
    if (role === 'tab' || role === 'option') props['aria-selected'] = String(state.selected)
    else props['aria-checked'] = String(state.selected)
  }
  if (state.checked !== undefined) props['aria-checked'] = String(state.checked)
  if (state.disabled) props['aria-disabled'] = 'true'
  if (state.expanded !== undefined) props['aria-expanded'] = String(state.expanded)
  return props
}

/**
 * The label of an Input / Textarea / Switch (H5: on the inner native element). Other attributes
 * for H5's inner element (inputMode …) go in `native`: a separate nativeProps would be replaced.
 */
export function inputLabel(label: string, native: Record<string, string> = {}): A11yProps {
  return isH5 ? { nativeProps: { ...native, 'aria-label': label } } : { 'aria-label': label }
}

/** A group of options (Segmented, chips): role radiogroup / tablist with a name. */
export function group(label: string, role: 'radiogroup' | 'tablist' | 'group' = 'radiogroup'): A11yProps {
  return isH5 ? { role, 'aria-label': label } : { 'aria-role': role, 'aria-label': label }
}

/** Decoration a screen reader should skip (arrows, dots, icons next to text that says it). */
export function decorative(): A11yProps {
  return { 'aria-hidden': 'true' }
}

/** A live region: toasts and status lines drawn by us are read out when they change. */
export function live(): A11yProps {
  return isH5 ? { role: 'status', 'aria-live': 'polite' } : { 'aria-role': 'alert' }
}

/** A sheet or modal drawn by us: role dialog named by its title. */
export function dialog(title: string): A11yProps {
  return isH5 ? { role: 'dialog', 'aria-modal': 'true', 'aria-label': title } : { 'aria-role': 'dialog', 'aria-label': title }
}
