import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ResourceAmountsDto {
  @ApiProperty({ description: 'TRX.', example: 1000 }) energy: number;
  @ApiProperty({ description: 'TRX.', example: 500 }) bandwidth: number;
}

/** Energy and bandwidth points (not TRX) a delegated stake yields at the network totals. */
export class ResourceUnitsDto {
  @ApiProperty({ type: 'integer', description: 'Energy.', example: 9473 }) energy: number;
  @ApiProperty({ type: 'integer', description: 'Bandwidth.', example: 830 }) bandwidth: number;
}

export class UnfreezingEntryDto {
  @ApiProperty({ example: 'ENERGY' }) resource: string;
  @ApiProperty({ description: 'TRX.', example: 100 }) amount: number;
  @ApiProperty({
    description: 'When it can be withdrawn (chain time).',
    example: '2026-12-05T12:00:00.000Z',
  })
  available_at: string;
  @ApiProperty({ example: false }) withdrawable: boolean;
}

export class VoteDto {
  @ApiProperty({ example: 'TKSXDA8HfE9E1y39RczVQ1ZascUEtaSToF' }) witness_address: string;
  @ApiProperty({ example: 1000 }) vote_count: number;
}

export class AddressStakingStatusDto {
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' }) address: string;
  @ApiProperty({ description: 'False when the address is not activated on chain.', example: true })
  activated: boolean;
  @ApiProperty({ description: 'Liquid balance, TRX.', example: 250.5 }) balance: number;
  @ApiProperty({
    type: ResourceAmountsDto,
    description: 'Own Stake 2.0 stake, excluding what is delegated out.',
  })
  frozen: ResourceAmountsDto;
  @ApiProperty({ type: ResourceAmountsDto }) delegated_out: ResourceAmountsDto;
  @ApiProperty({ type: ResourceAmountsDto }) delegated_in: ResourceAmountsDto;
  @ApiProperty({
    type: ResourceUnitsDto,
    description: 'Energy/bandwidth the stake delegated out gives its receivers.',
  })
  delegated_out_units: ResourceUnitsDto;
  @ApiProperty({
    type: ResourceUnitsDto,
    description: 'Energy/bandwidth the address really gets from what is delegated to it.',
  })
  delegated_in_units: ResourceUnitsDto;
  @ApiProperty({ type: [UnfreezingEntryDto] }) unfreezing: UnfreezingEntryDto[];
  @ApiProperty({
    description: 'TRX whose unfreeze delay has passed, withdrawable now.',
    example: 0,
  })
  withdrawable_now: number;
  @ApiProperty({
    description: 'Unfreeze operations still possible (the chain allows 32 pending).',
    example: 31,
  })
  unfreeze_slots_left: number;
  @ApiProperty({
    description: 'TRON Power (whole TRX of own stake, delegated-out included).',
    example: 1500,
  })
  tron_power: number;
  @ApiProperty({ example: 1000 }) tron_power_used: number;
  @ApiProperty({ type: [VoteDto] }) votes: VoteDto[];
  @ApiProperty({ description: 'Unclaimed voting reward, TRX.', example: 1.25 })
  unclaimed_reward: number;
  @ApiProperty({
    description: 'Staking records of this address held by the service.',
    example: { active: 2, total_staked_trx: 1500 },
  })
  records: { active: number; total_staked_trx: number };
  @ApiProperty({
    description: 'Chain time of the answer (head block).',
    example: '2026-11-21T12:00:00.000Z',
  })
  chain_time: string;
  @ApiPropertyOptional({
    description: 'Served from the Redis cache (a few seconds old at most).',
    example: false,
  })
  cached?: boolean;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) timestamp: string;
}

export class ResourceUsageDto {
  @ApiProperty({ example: 32000 }) limit: number;
  @ApiProperty({ example: 1200 }) used: number;
  @ApiProperty({ example: 30800 }) available: number;
}

export class BandwidthUsageDto extends ResourceUsageDto {
  @ApiProperty({ description: 'Free daily bandwidth (600 on mainnet).', example: 600 })
  free_limit: number;
  @ApiProperty({ example: 268 }) free_used: number;
}

export class AddressResourcesDto {
  @ApiProperty({ example: 'TLsV52sRDL79HXGGm9yzwKibb6BeruhUzy' }) address: string;
  @ApiProperty({ type: ResourceUsageDto }) energy: ResourceUsageDto;
  @ApiProperty({ type: BandwidthUsageDto }) bandwidth: BandwidthUsageDto;
  @ApiProperty({ example: { limit: 1500, used: 1000 } }) tron_power: {
    limit: number;
    used: number;
  };
  @ApiProperty({ type: ResourceAmountsDto, description: 'Own stake per resource, TRX.' })
  frozen: ResourceAmountsDto;
  @ApiProperty({ type: ResourceAmountsDto }) delegated_out: ResourceAmountsDto;
  @ApiProperty({ type: ResourceAmountsDto }) delegated_in: ResourceAmountsDto;
  @ApiProperty({
    type: ResourceUnitsDto,
    description: 'Energy/bandwidth the stake delegated out gives its receivers.',
  })
  delegated_out_units: ResourceUnitsDto;
  @ApiProperty({
    type: ResourceUnitsDto,
    description: 'Energy/bandwidth the address really gets from what is delegated to it.',
  })
  delegated_in_units: ResourceUnitsDto;
  @ApiProperty({
    example: {
      total_energy_limit: 180000000000,
      total_energy_weight: 19000000000,
      total_net_limit: 43200000000,
      total_net_weight: 26000000000,
    },
  })
  network: Record<string, number>;
  @ApiPropertyOptional({ description: 'Served from the Redis cache.', example: false })
  cached?: boolean;
  @ApiProperty({ example: '2026-11-21T12:00:00.000Z' }) timestamp: string;
}
