import { Input, View } from '@tarojs/components'
import type { TopupConfig } from '@shared/domain'
import { formatFen } from '../../services/format'
import { group, inputLabel, pressable } from '../../components/a11y'
import type { useAmount } from './use-amount'

const chipText = (fen: number) => (fen % 100 === 0 ? `${fen / 100} 元` : formatFen(fen))

/** 充值金额: preset chips, 自定义 with its field, the limits and the reason an amount is refused. */
export function AmountPicker({ config, amount }: { config: TopupConfig; amount: ReturnType<typeof useAmount> }) {
  const { choice } = amount
  return (
    <View>
      <View className='section-title'>充值金额</View>
      <View className='chips' {...group('充值金额')}>
        {config.presetsFen.map((fen) => {
          const on = choice?.kind === 'preset' && choice.fen === fen
          return (
            <View
              key={fen}
              id={`amount-${fen}`}
              className={on ? 'chip chip--on' : 'chip'}
              onClick={() => amount.pickPreset(fen)}
              {...pressable(chipText(fen), 'radio', { selected: on })}
            >
              {chipText(fen)}
            </View>
          )
        })}
        <View
          id='amount-custom'
          className={choice?.kind === 'custom' ? 'chip chip--on' : 'chip'}
          onClick={amount.pickCustom}
          {...pressable('自定义金额', 'radio', { selected: choice?.kind === 'custom' })}
        >
          自定义
        </View>
      </View>
      {choice?.kind === 'custom' ? (
        <View className='cells'>
          <View className='cell'>
            <View className='cell__label'>金额(元)</View>
            <Input
              id='custom-amount-input'
              className='cell__input'
              type='digit'
              maxlength={9}
              placeholder={`${config.minFen / 100} - ${config.maxFen / 100} 元`}
              value={amount.customText}
              focus
              onInput={(e) => amount.typeCustom(e.detail.value)}
              {...inputLabel('充值金额（元）')}
            />
          </View>
        </View>
      ) : null}
      {amount.error ? (
        <View className='error-text' id='amount-error'>
          {amount.error}
        </View>
      ) : null}
      <View className='hint'>{`可充值 ${formatFen(config.minFen)} - ${formatFen(config.maxFen)}`}</View>
    </View>
  )
}
