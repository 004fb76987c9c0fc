import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'correct-horse-battery-staple', format: 'password' })
  @IsString()
  @MaxLength(256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({
    description: 'The refresh token from login or the previous refresh. Spent on use.',
  })
  @IsString()
  @Length(1, 512)
  refresh_token: string;
}
